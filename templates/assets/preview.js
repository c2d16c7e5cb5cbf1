/* Hover previews (progressive enhancement): pointing at or focusing an actor's or an article's link
   shows a few lines of the page it opens, read from that page itself. Every value is written as
   text; without this script the links simply open their pages. */
(function () {
  if (!/^https?:$/.test(location.protocol) || !window.fetch || !window.DOMParser) return;
  var SELECTOR = "a.m, a.actor, ul.articles li > a, .backlinks h3 a, h3 > a[href*='articles/']";
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

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        return { title: clean(doc.querySelector("h1")), lines: summary(doc) };
      }).catch(function () { return null; });
    }
    return cache[url];
  }

  function show(link) {
    var url = link.href.split("#")[0];
    if (url === location.href.split("#")[0]) return;
    shownFor = link;
    load(url).then(function (found) {
      if (shownFor !== link || !found || !found.title) return;
      box.textContent = "";
      box.appendChild(text("p", found.title, "preview-title"));
      found.lines.forEach(function (line) { if (line[0]) box.appendChild(text("p", line[0], line[1])); });
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
