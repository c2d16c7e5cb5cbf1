/* Progressive enhancements; every page is whole without them.
   1. The header's "Find an actor" link becomes a search box (Pagefind needs http(s)).
   2. On an article, selecting a sentence (a click outside its links, or arriving at #sN) offers
      "Copy citation": outlet, title, date, the link to the sentence and its words. */
(function () {
  var form = document.querySelector(".search-box"), fallback = document.querySelector(".search-fallback");
  if (form && fallback && location.protocol !== "file:") {
    form.hidden = false;
    fallback.hidden = true;
  }
})();

(function () {
  var article = document.querySelector("article.article[data-cite-title]");
  if (!article) return;
  var bar = document.createElement("span");
  bar.className = "cite-bar";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "cite";
  button.textContent = "Copy citation";
  var status = document.createElement("span");
  status.className = "cite-status";
  status.setAttribute("role", "status");
  bar.appendChild(button);
  bar.appendChild(status);
  var current = null;

  function words(sentence) {
    var copy = sentence.cloneNode(true);
    copy.querySelectorAll(".speaker, .cite-bar").forEach(function (e) { e.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function citation(sentence) {
    var d = article.dataset;
    var link = location.href.split("#")[0] + "#" + sentence.id;
    var source = [d.citeOutlet, "“" + d.citeTitle + "”", d.citeDate].filter(Boolean).join(", ");
    return "“" + words(sentence) + "” " + source + ". " + (d.citeUrl ? d.citeUrl + " (original); " : "") + link;
  }

  function choose(sentence) {
    current = sentence;
    status.textContent = "";
    sentence.appendChild(bar);
  }

  function copied(ok) { status.textContent = ok ? "Citation copied" : "Copy failed: select the text instead"; }

  button.addEventListener("click", function (event) {
    event.stopPropagation();
    if (!current) return;
    var text = citation(current);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(true); }, function () { copied(false); });
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      copied(ok);
    }
  });

  article.addEventListener("click", function (event) {
    if (event.target.closest("a, button")) return;
    var sentence = event.target.closest(".text .s");
    if (!sentence || (window.getSelection && String(window.getSelection()).length)) return;
    history.replaceState(null, "", "#" + sentence.id);
    choose(sentence);
  });

  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.classList.contains("s")) choose(target);
})();
