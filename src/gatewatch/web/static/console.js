// gatewatch console: keep live parts of the page current, and the roll-call.
// Each element with data-live="URL" is refetched (as HTML) whenever the desk decides an event;
// the outcome stream (Server-Sent Events, /v1/stream) says when. What changes without an event
// (a lock closing again by itself) has data-every="SECONDS" as well, and is refetched that often.
// No reload, no framework.
(function () {
  "use strict";
  const live = () => Array.from(document.querySelectorAll("[data-live]"));
  let pending = null;

  function refreshOne(element) {
    fetch(element.dataset.live, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((answer) => (answer.ok ? answer.text() : Promise.reject(answer.status)))
      .then((html) => {
        element.innerHTML = html;
      })
      .catch(() => {});
  }

  function refresh() {
    pending = null;
    for (const element of live()) refreshOne(element);
  }

  for (const element of document.querySelectorAll("[data-live][data-every]")) {
    const seconds = Math.max(1, Number(element.dataset.every) || 5);
    setInterval(() => refreshOne(element), seconds * 1000);
  }

  function soon() {
    if (pending === null) pending = setTimeout(refresh, 150);
  }

  if (live().length && "EventSource" in window) {
    const stream = new EventSource("/v1/stream", { withCredentials: true });
    stream.addEventListener("outcome", soon);
    stream.addEventListener("unrecorded", soon); // an alarm decided while the record cannot write
    stream.addEventListener("open", soon); // catch up after a reconnection
  }

  const rollCall = document.getElementById("roll-call");
  if (rollCall) {
    const ticks = Array.from(document.querySelectorAll(".tick"));
    const count = document.getElementById("roll-count");
    const say = () => {
      const done = ticks.filter((t) => t.checked).length;
      count.textContent = rollCall.checked ? `${done} of ${ticks.length} accounted for` : "";
    };
    rollCall.addEventListener("change", () => {
      for (const tick of ticks) tick.disabled = !rollCall.checked;
      say();
    });
    for (const tick of ticks) tick.addEventListener("change", say);
  }
})();
