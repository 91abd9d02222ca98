// The channel pages' scripts (static: the Content-Security-Policy allows no inline code).
// The entry form: show the fields of the chosen kind only.
(function () {
  var form = document.getElementById("entry-form"), kind = form && form.querySelector("[name=kind]");
  if (!kind) return;
  function show() {
    form.querySelectorAll("p[data-field] [data-kinds]").forEach(function (input) {
      var p = input.closest("p"), on = input.getAttribute("data-kinds").split(" ").indexOf(kind.value) >= 0;
      p.hidden = !on;
    });
  }
  kind.addEventListener("change", show); show();
})();
// The publishing helpers: copy the 公众号 article as rich text.
(function () {
  var btn = document.getElementById("copy-article");
  if (!btn || !window.ClipboardItem || !navigator.clipboard) return;
  btn.addEventListener("click", function () {
    var html = document.getElementById("article-source").value;
    var text = document.getElementById("article-preview").innerText;
    try {
      navigator.clipboard.write([new ClipboardItem({"text/html": new Blob([html], {type: "text/html"}),
                                                     "text/plain": new Blob([text], {type: "text/plain"})})]);
    } catch (e) { /* the form still records the use; the source can be copied by hand */ }
  });
})();
