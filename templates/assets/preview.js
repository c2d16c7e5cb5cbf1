/* Hover previews (progressive enhancement): pointing at or focusing an actor's or an article's link
   shows a few lines of the page it opens, read from that page itself; a link to a sentence (#sN: a
   mention, a quote, a timeline entry's source) shows that sentence marked in its paragraph, with the
   article's outlet and date. Every value is written as text; without this script the links simply
   open their pages. */
(function () {
  if (!/^https?:$/.test(location.protocol) || !window.fetch || !window.DOMParser) return;
  var SELECTOR = "a.m, a.actor, ul.articles li > a, h3 > a[href*='articles/'], .backlinks a, ul.sources a, .top-quote a";
  var CONTEXT = 220;  /* characters of the paragraph shown on each side of a sentence */
  var cache = {}, timer = null, shownFor = null;
  var box = document.createElement("div");
  box.className = "preview";
  box.id = "link-preview";
  box.setAttribute("role", "tooltip");
  box.hidden = true;
  document.body.appendChild(box);

  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }
  function clean(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }

  function summary(doc) {
    var lines = [], facts = doc.querySelector(".facts");
    if (facts) {
      var type = facts.querySelector(".type-label"), named = facts.querySelector("dt + dd + dt + dd");
      lines.push([clean(type) + (named ? " · " + clean(named) : ""), "preview-meta"]);
      var description = facts.querySelector(".description");
      if (description) lines.push([clean(description), ""]);
      var quote = facts.querySelector(".top-quote p");
      if (quote) lines.push(["“" + clean(quote) + "”", "preview-quote"]);
      return lines;
    }
    var meta = doc.querySelector("article.article > p .meta");
    if (meta) lines.push([clean(meta), "preview-meta"]);
    var first = doc.querySelector(".text p");
    if (first) {
      var words = clean(first);
      lines.push([words.length > 280 ? words.slice(0, 279) + "…" : words, ""]);
    }
    return lines;
  }

  /* The sentence `id` of an article page in its paragraph: [before, sentence, after] as text, the
     speaker tags (shown beside quotes on the page) left out, long context cut at a word. */
  function sentenceLines(doc, id) {
    var sentence = doc.getElementById(id), paragraph = sentence && sentence.closest("p");
    if (!paragraph || !sentence.classList.contains("s")) return null;
    var copy = paragraph.cloneNode(true);
    copy.querySelectorAll(".speaker").forEach(function (e) { e.remove(); });
    var own = copy.querySelector("#" + id), words = clean(own);
    var marker = doc.createTextNode("\u0001");
    own.replaceWith(marker);
    var parts = clean(copy).split("\u0001");
    var before = (parts[0] || "").trim(), after = (parts[1] || "").trim();
    if (before.length > CONTEXT) before = "…" + before.slice(before.indexOf(" ", before.length - CONTEXT));
    if (after.length > CONTEXT) after = after.slice(0, after.lastIndexOf(" ", CONTEXT)) + " …";
    return [before, words, after];
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        return new DOMParser().parseFromString(html, "text/html");
      }).catch(function () { return null; });
    }
    return cache[url];
  }

  function fill(doc, hash) {
    box.textContent = "";
    box.appendChild(text("p", clean(doc.querySelector("h1")), "preview-title"));
    var context = /^#s\d+$/.test(hash) ? sentenceLines(doc, hash.slice(1)) : null;
    if (!context) {
      summary(doc).forEach(function (line) { if (line[0]) box.appendChild(text("p", line[0], line[1])); });
      return;
    }
    var meta = doc.querySelector("article.article > p .meta");
    if (meta) box.appendChild(text("p", clean(meta), "preview-meta"));
    var paragraph = document.createElement("p");
    paragraph.className = "preview-context";
    if (context[0]) paragraph.appendChild(document.createTextNode(context[0] + " "));
    paragraph.appendChild(text("mark", context[1]));
    if (context[2]) paragraph.appendChild(document.createTextNode(" " + context[2]));
    box.appendChild(paragraph);
  }

  function show(link) {
    var url = link.href.split("#")[0], hash = link.hash;
    if (url === location.href.split("#")[0]) return;
    shownFor = link;
    load(url).then(function (doc) {
      if (shownFor !== link || !doc || !clean(doc.querySelector("h1"))) return;
      fill(doc, hash);
      box.hidden = false;
      var rect = link.getBoundingClientRect();
      var width = Math.min(384, document.documentElement.clientWidth - 16);
      box.style.width = width + "px";
      box.style.left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8)) + window.scrollX + "px";
      box.style.top = rect.bottom + window.scrollY + 6 + "px";
      link.setAttribute("aria-describedby", box.id);
    });
  }

  function hide() {
    clearTimeout(timer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    box.hidden = true;
  }

  function later(event) {
    var link = event.target.closest && event.target.closest(SELECTOR);
    if (!link || link === shownFor) return;
    hide();
    timer = setTimeout(function () { show(link); }, event.type === "focusin" ? 0 : 350);
  }

  document.addEventListener("mouseover", later);
  document.addEventListener("focusin", later);
  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest(SELECTOR);
    if (link && !link.contains(event.relatedTarget)) hide();
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();
