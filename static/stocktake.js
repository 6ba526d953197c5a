// Stocktakes that keep working without a network (server halls and cellars often have no
// signal). Each scan is first kept on the device, in IndexedDB, with the time it was made
// and an id of its own, and shown at once as waiting; a sender then posts the waiting
// scans to the server oldest first, one at a time, until each has an answer: the outcome,
// or a refusal with its reason, which stays on the list until it is removed. A resend of
// an id the server has saved is answered as the first time, so a scan counts once however
// often the network drops its answer. The service worker (stocktake-sw.js) keeps the page
// and its files, so that it opens again without a network.
//
// Without IndexedDB, a secure context or this script the scan form posts as before.
(function () {
  "use strict";

  var root = document.getElementById("on-this-device");
  if (!root || !window.isSecureContext || !window.indexedDB || !window.fetch ||
      !window.crypto || typeof window.crypto.randomUUID !== "function") {
    return;
  }

  // Also deleted at logout (app.js): the kept pages name who was logged in.
  var CACHE = "stocktakes-v1";
  var DB_NAME = "inventory-stocktakes";
  var STORE = "scans";
  var LOCK = "inventory-stocktake-sender";
  // Answered scans kept on the list per stocktake; waiting and refused ones are all kept.
  var KEEP_SENT = 50;
  var MAX_DELAY_MS = 60000;

  var data = root.dataset;
  var stocktakeId = Number(data.stocktake);
  var form = document.getElementById("stocktake-scan");
  var field = document.getElementById("code");
  var progress = document.getElementById("progress");
  var banner = document.getElementById("offline-banner");
  var waitingCount = document.getElementById("waiting-count");
  var problem = document.getElementById("send-problem");
  var status = document.getElementById("scan-status");
  var heading = document.getElementById("device-scans-heading");
  var list = document.getElementById("device-scans");

  // Whether the service worker fetched this page (and so has kept it): not on the first
  // visit, nor when it took control while the page loaded. Unknown is taken as not.
  var navigation = window.performance && window.performance.getEntriesByType &&
    window.performance.getEntriesByType("navigation")[0];
  var servedByWorker = Boolean(navigation && navigation.workerStart > 0);
  var networkDown = false;
  var failures = 0;
  var retryTimer = null;
  var sending = false;
  var sendAgain = false;

  // --- The queue, in IndexedDB: one record per scan, keyed by a local sequence that only
  // grows, so that "oldest first" is the order the scans were made in.

  var opened = new Promise(function (resolve, reject) {
    var request = window.indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function inStore(mode, work) {
    return opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function allScans() {
    return inStore("readonly", function (store) { return store.getAll(); }).then(function (scans) {
      return scans.sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function saveScan(scan) {
    return inStore("readwrite", function (store) { return store.put(scan); });
  }

  function removeScan(seq) {
    return inStore("readwrite", function (store) { return store.delete(seq); });
  }

  // --- What the page shows.

  function text(name, values) {
    var template = data[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      template = template.split("{" + key + "}").join(String(values[key]));
    });
    return template;
  }

  function timeOf(scan) {
    var lang = document.documentElement.lang || undefined;
    return new Date(scan.scanned_at).toLocaleTimeString(lang, {
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    });
  }

  function stateText(scan) {
    if (scan.state === "waiting") {
      return text("textWaiting");
    }
    if (scan.state === "refused") {
      return text("textRefused") + ": " + scan.message;
    }
    return scan.message;
  }

  function colourOf(scan) {
    if (scan.state === "waiting") {
      return "list-group-item-secondary";
    }
    if (scan.state === "refused") {
      return "list-group-item-danger";
    }
    return "list-group-item-" + (scan.category === "success" ? "success" : scan.category === "info" ? "info" : "warning");
  }

  function item(scan) {
    var li = document.createElement("li");
    li.className = "list-group-item device-scan " + colourOf(scan);
    li.dataset.state = scan.state;
    li.dataset.clientId = scan.client_id;
    var body = document.createElement("div");
    body.className = "device-scan-body";
    var code = document.createElement("div");
    code.className = "fw-semibold text-break device-scan-code";
    code.textContent = scan.code;
    var said = document.createElement("div");
    said.className = "small device-scan-state";
    said.textContent = stateText(scan);
    body.append(code, said);
    var side = document.createElement("div");
    side.className = "device-scan-side";
    var when = document.createElement("time");
    when.className = "small text-body-secondary";
    when.dateTime = scan.scanned_at;
    when.textContent = timeOf(scan);
    side.append(when);
    if (scan.state === "refused") {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-danger btn-sm device-scan-remove";
      remove.textContent = text("textDismiss");
      remove.addEventListener("click", function () {
        removeScan(scan.seq).then(show).then(function () {
          if (field) {
            field.focus();
          }
        });
      });
      side.append(remove);
    }
    li.append(body, side);
    return li;
  }

  function showBanner(waiting) {
    var offline = !navigator.onLine || networkDown;
    banner.hidden = !offline;
    waitingCount.textContent = waiting === 0 ? "" :
      text(waiting === 1 ? "textWaitingOne" : "textWaitingMany", { num: waiting });
    root.dataset.waiting = String(waiting);
  }

  function show() {
    return allScans().then(function (scans) {
      // The result page (no scan form) lists only what still needs the user: the scans
      // waiting and those refused; the answered ones are in the result.
      var mine = scans.filter(function (scan) {
        return scan.stocktake === stocktakeId && (form || scan.state !== "sent");
      });
      var waiting = mine.filter(function (scan) { return scan.state === "waiting"; }).length;
      list.replaceChildren.apply(list, mine.slice().reverse().map(item));
      heading.hidden = mine.length === 0;
      showBanner(waiting);
      root.dataset.shown = "true";
    });
  }

  // The scan the status line speaks of: the newest one made here. A late answer to an
  // earlier scan (a slow network, a queue sent after a reconnect) is shown in the list, not
  // over the line the technician is reading for the code just scanned.
  var newest = null;

  function showStatus(scan) {
    if (!status || scan.stocktake !== stocktakeId) {
      return;
    }
    if (newest !== null && scan.client_id !== newest) {
      return;
    }
    status.className = "alert mt-3 mb-0 " + (
      scan.state === "waiting" ? "alert-secondary" :
      scan.state === "refused" ? "alert-danger" : "alert-" + scan.category);
    // An answer names the code itself.
    status.textContent = scan.state === "sent" ? scan.message : scan.code + ": " + stateText(scan);
    status.dataset.state = scan.state;
    status.hidden = false;
  }

  function showProblem(message, link) {
    problem.replaceChildren();
    if (!message) {
      problem.hidden = true;
      return;
    }
    problem.append(message);
    if (link) {
      var a = document.createElement("a");
      a.href = data.loginUrl;
      a.className = "alert-link ms-1";
      a.textContent = text("textLogIn");
      problem.append(" ", a);
    }
    problem.hidden = false;
  }

  // The progress figure of the latest answer, kept, so that a copy of the page opened
  // offline shows the figure it had rather than the one of when the copy was made.
  var progressKey = "stocktake-progress:" + stocktakeId;

  function showProgress(answer, scan) {
    if (scan.stocktake !== stocktakeId || !progress) {
      return;
    }
    progress.textContent = answer.progress;
    try {
      window.localStorage.setItem(progressKey, JSON.stringify({ text: answer.progress, at: answer.answered_at }));
    } catch (ignored) { /* private mode: the figure shows until the page is left */ }
  }

  function restoreProgress() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(progressKey) || "null");
      if (kept && progress && kept.at > data.renderedAt) {
        progress.textContent = kept.text;
      }
    } catch (ignored) { /* nothing kept */ }
  }

  // --- Sending.

  function token() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // A kept page's token may have expired (an hour offline): a fresh one from the page.
  function freshToken() {
    return fetch(data.pageUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var input = page.querySelector("input[name=csrf_token]");
        if (!input || !input.value) {
          return false;
        }
        document.querySelectorAll("input[name=csrf_token]").forEach(function (mine) {
          mine.value = input.value;
        });
        return true;
      })
      .catch(function () { return false; });
  }

  function settle(scan, state, answer) {
    scan.state = state;
    scan.message = answer.message;
    scan.category = answer.category || "danger";
    scan.outcome = answer.outcome || null;
    return saveScan(scan).then(function () {
      showStatus(scan);
      return "done";
    });
  }

  // "done" (answered or refused), "retry" (no answer: network, server trouble) or "login".
  function send(scan, mayRenewToken) {
    return fetch(scan.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token()
      },
      body: JSON.stringify({ client_id: scan.client_id, code: scan.code, scanned_at: scan.scanned_at })
    }).then(function (response) {
      networkDown = false;
      return response.json().catch(function () { return null; }).then(function (answer) {
        var error = answer && answer.error;
        if (response.ok && answer && answer.outcome) {
          showProgress(answer, scan);
          showProblem("");
          return settle(scan, "sent", answer);
        }
        if (response.status === 401) {
          showProblem(text("textLoggedOut"), true);
          return "login";
        }
        if (response.status === 400 && error && error.code === "csrf") {
          return mayRenewToken ? freshToken().then(function (renewed) {
            return renewed ? send(scan, false) : "retry";
          }) : "retry";
        }
        if (response.status >= 400 && response.status < 500 && error && error.message &&
            [408, 425, 429].indexOf(response.status) < 0) {
          return settle(scan, "refused", { message: error.message });
        }
        // Not an answer of ours (a 5xx, a proxy's page): kept, and sent again later.
        showProblem(text("textHttpError", { status: response.status || "?" }));
        return "retry";
      });
    }, function () {
      networkDown = true;
      return "retry";
    });
  }

  function sendWaiting() {
    return allScans().then(function (scans) {
      var next = scans.filter(function (scan) { return scan.state === "waiting"; })[0];
      if (!next) {
        return "done";
      }
      return send(next, true).then(function (result) {
        return show().then(function () {
          if (result !== "done") {
            return result;
          }
          failures = 0;
          return forgetOldAnswers(next.stocktake).then(sendWaiting);
        });
      });
    });
  }

  function forgetOldAnswers(stocktake) {
    return allScans().then(function (scans) {
      var sent = scans.filter(function (scan) {
        return scan.stocktake === stocktake && scan.state === "sent";
      });
      return Promise.all(sent.slice(0, Math.max(0, sent.length - KEEP_SENT)).map(function (scan) {
        return removeScan(scan.seq);
      }));
    });
  }

  function later(result) {
    window.clearTimeout(retryTimer);
    failures += 1;
    var delay = result === "login" ? 15000 :
      Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, Math.min(failures, 6))) * (0.75 + Math.random() / 2);
    retryTimer = window.setTimeout(kick, delay);
  }

  // One sender at a time across this device's tabs (Web Locks where the browser has them);
  // the server's ids make a second one harmless where it has not.
  function kick() {
    window.clearTimeout(retryTimer);
    if (sending) {
      sendAgain = true;
      return;
    }
    sending = true;
    sendAgain = false;
    var run = function () { return sendWaiting(); };
    var sent = navigator.locks ? navigator.locks.request(LOCK, run) : run();
    sent.then(function (result) {
      sending = false;
      if (result !== "done") {
        later(result);
      } else if (sendAgain) {
        kick();
      }
      return show();
    }, function () {
      sending = false;
      later("retry");
    });
  }

  // --- Scanning.

  function keep(event) {
    event.preventDefault();
    var code = field.value;
    // Emptied and focused at once: a hand scanner may type the next code right away.
    field.value = "";
    field.focus();
    if (!code.trim()) {
      return;
    }
    var scan = {
      stocktake: stocktakeId,
      url: data.scansUrl,
      client_id: window.crypto.randomUUID(),
      code: code,
      scanned_at: new Date().toISOString(),
      state: "waiting"
    };
    newest = scan.client_id;
    inStore("readwrite", function (store) { return store.add(scan); }).then(function (seq) {
      scan.seq = seq;
      showStatus(scan);
      show().then(kick, kick);
    }, function () {
      // The device would not keep it: posted as a plain form, as without this script.
      field.value = code;
      form.submit();
    });
  }

  function keepForOffline() {
    if (!window.caches) {
      return;
    }
    var files = Array.prototype.map.call(
      document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
      function (element) { return element.href || element.src; }
    );
    window.caches.open(CACHE).then(function (cache) {
      var kept = files.map(function (url) {
        return cache.match(url).then(function (hit) { return hit || cache.add(url); });
      });
      // A page the worker did not fetch (the first visit, before it was in control) is
      // kept here.
      if (!servedByWorker) {
        kept.push(cache.add(window.location.origin + data.pageUrl));
      }
      return Promise.all(kept);
    }).catch(function () { /* kept next time */ });
  }

  opened.then(function () {
    root.hidden = false;
    restoreProgress();
    if (form && field) {
      form.addEventListener("submit", keep);
    }
    window.addEventListener("online", function () {
      networkDown = false;
      failures = 0;
      show();
      kick();
    });
    window.addEventListener("offline", show);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        kick();
      }
    });
    return show().then(kick);
  }).catch(function () { /* no IndexedDB here: the form posts as before */ });

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(data.workerUrl, { scope: data.workerScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(keepForOffline)
      .catch(function () { /* no worker: the page still keeps its scans while it is open */ });
  }
})();
