// Camera scanning with the browser's own BarcodeDetector (Chrome on Android has it); where it
// is missing, the page keeps its text field, which keyboard-wedge scanners type into.
(function () {
  "use strict";
  var button = document.getElementById("start-camera");
  var form = document.getElementById("scan-form");
  var field = document.getElementById("code");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var video = document.getElementById("preview");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        document.getElementById("camera").hidden = false;
        button.hidden = true;
        video.srcObject = stream;
        return video.play().then(function () {
          var look = function () {
            detector.detect(video).then(function (codes) {
              if (codes.length > 0) {
                stream.getTracks().forEach(function (track) { track.stop(); });
                field.value = codes[0].rawValue;
                form.submit();
              } else {
                window.requestAnimationFrame(look);
              }
            }).catch(function () { window.requestAnimationFrame(look); });
          };
          look();
        });
      })
      .catch(function () {
        button.hidden = true;  // no camera or no permission: the text field remains
      });
  });
})();
