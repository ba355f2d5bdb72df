// gatewatch head office console: keep live parts of the page current without reloading it.
// Each element with data-live="URL" is refetched (as HTML) every data-every seconds (5 by
// default) and its content replaced. A signed-out session (the answer is a redirect) goes to
// the sign-in page; a failed fetch leaves the table as it was and says it is stale. One fetch at a
// time per element: the next is asked for only once the last has answered (or was given up after
// WAIT_MS), so a slow head office is not sent more and more of them.
(function () {
  "use strict";

  const WAIT_MS = 20000;

  function refresh(element) {
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), WAIT_MS);
    return fetch(element.dataset.live, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      redirect: "manual",
      signal: giveUp.signal,
    })
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
      })
      .finally(() => clearTimeout(timer));
  }

  for (const element of document.querySelectorAll("[data-live]")) {
    const seconds = Math.max(1, Number(element.dataset.every) || 5);
    const next = () => setTimeout(() => refresh(element).finally(next), seconds * 1000);
    next();
  }
})();
