// Progressive enhancement: save a questionnaire page whenever an answer changes,
// so nothing is lost if the page is closed. Without JavaScript, the buttons save.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = form.querySelector(".autosave-status");
  let timer = null;
  function save() {
    const data = new FormData(form);
    data.set("action", "autosave");
    fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    }).then(function (response) {
      if (status) status.textContent = response.ok ? form.dataset.savedText || "✓" : "";
    }).catch(function () {});
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  });
})();
