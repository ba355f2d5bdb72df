// gatewatch head office console: keep live parts of the page current without reloading it.
// Each element with data-live="URL" is refetched (as HTML) every data-every seconds (5 by
// default) and its content replaced. A signed-out session (the answer is a redirect) goes to
// the sign-in page; a failed fetch leaves the table as it was and says since when it is stale.
(function () {
  "use strict";

  function refresh(element) {
    fetch(element.dataset.live, { credentials: "same-origin", headers: { Accept: "text/html" }, redirect: "manual" })
      .then((answer) => {
        if (answer.type === "opaqueredirect" || answer.status === 401) {
          window.location.assign("/sign-in");
          return null;
        }
        return answer.ok ? answer.text() : Promise.reject(answer.status);
      })
      .then((html) => {
        if (html !== null) {
          element.innerHTML = html;
          element.classList.remove("stale");
        }
      })
      .catch(() => {
        if (!element.classList.contains("stale")) {
          element.classList.add("stale");
          const note = document.createElement("p");
          note.className = "problem";
          note.textContent = "Head office did not answer: the table below is not current.";
          element.prepend(note);
        }
      });
  }

  for (const element of document.querySelectorAll("[data-live]")) {
    const seconds = Math.max(1, Number(element.dataset.every) || 5);
    setInterval(() => refresh(element), seconds * 1000);
  }
})();
