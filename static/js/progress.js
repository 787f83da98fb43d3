/* Shikhon: tell the server how much of an activity's video was watched (25/50/75/100 %).
   Posts to the "Mark as done" form's URL with its CSRF token. No framework; fails silently. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-progress-form]");
  var video = document.querySelector("video[data-progress]");
  if (!form || !video || !window.fetch) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var sent = 0;
  function send(percent) {
    var body = new URLSearchParams();
    body.append("watched_percent", String(percent));
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token ? token.value : ""},
      body: body
    }).catch(function () { sent = Math.min(sent, percent - 25); });
  }
  function check() {
    if (!video.duration || !isFinite(video.duration)) return;
    var share = video.ended ? 100 : Math.floor((video.currentTime / video.duration) * 100);
    var step = Math.floor(share / 25) * 25;
    if (step > sent && step >= 25) {
      sent = step;
      send(step);
    }
  }
  video.addEventListener("timeupdate", check);
  video.addEventListener("ended", check);
})();
