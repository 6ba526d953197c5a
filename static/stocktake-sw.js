// The service worker of stocktakes (served as /stocktakes/sw.js, so its scope is /stocktakes/).
// Server halls and cellars often have no signal: a stocktake page opened once stays usable
// there. Pages of a stocktake are fetched from the network first and kept; without a
// network the kept copy is shown. The scans themselves wait in the page's IndexedDB queue
// (static/stocktake.js), not here: the worker only keeps the page and its files.
"use strict";

var CACHE = "stocktakes-v1";
var STOCKTAKE_PAGE = /^\/stocktakes\/\d+$/;
var STATIC_FILE = /^\/(static|bootstrap\/static)\//;
// A weak signal can take minutes to fail: after this long the kept copy is shown instead.
var NETWORK_PATIENCE_MS = 5000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("stocktakes-") === 0 && name !== CACHE; })
          .map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;  // scans are sent by the page itself, and never answered from a cache
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && STOCKTAKE_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, url.origin + url.pathname));
  } else if (STATIC_FILE.test(url.pathname)) {
    event.respondWith(keptFirst(request));
  }
});

// The page from the network, kept for later; the kept copy when the network fails or is
// too slow. A redirect (to the login page) is passed on and not kept.
function networkFirst(request, key) {
  var network = fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  });
  return new Promise(function (resolve, reject) {
    var answered = false;
    function kept(error) {
      return caches.match(key).then(function (copy) {
        if (answered) {
          return;
        }
        if (copy) {
          answered = true;
          resolve(copy);
        } else if (error) {
          answered = true;
          reject(error);
        }
      });
    }
    var timer = setTimeout(function () { kept(null); }, NETWORK_PATIENCE_MS);
    network.then(function (response) {
      clearTimeout(timer);
      if (!answered) {
        answered = true;
        resolve(response);
      }
    }, function (error) {
      clearTimeout(timer);
      kept(error || new Error("offline"));
    });
  });
}

// Static files from the copy kept, refreshed in the background for the next time; from the
// network (and then kept) the first time.
function keptFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (copy) {
      var network = fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
      if (copy) {
        network.catch(function () { return null; });
        return copy;
      }
      return network;
    });
  });
}
