/* The search page: Pagefind's JavaScript API, with results and filters written as text.
   Pagefind's own UI inserts filter values and excerpts as HTML, so a hostile outlet name in an
   article's front matter would run as script there; here every value from the index becomes a
   text node, and an excerpt's <mark> highlights are rebuilt as elements. */
(function () {
  var PAGE = 20;  /* results shown at a time */
  var root = document.getElementById("search");
  if (!root) return;
  var base = new URL(".", location.href).pathname;  /* the site's root, wherever it is hosted */
  var bundles = root.dataset.bundles.split(" ").filter(Boolean);
  var input = document.getElementById("search-input");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var filterBox = root.querySelector(".search-filters");
  var chosen = {};  /* filter name -> list of chosen values */
  var found = [], shown = 0, generation = 0, pagefind = null;
  var maps = {};  /* sentence map number -> promise of its JSON (null if it cannot be read) */

  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }

  /* An excerpt is HTML from the index: parsed in an inert document, read as text, and only the
     <mark> elements Pagefind added are rebuilt. */
  function excerpt(html) {
    var marked = html.replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002");
    var plain = new DOMParser().parseFromString(marked, "text/html").body.textContent;
    var paragraph = document.createElement("p");
    paragraph.className = "search-excerpt";
    plain.split(/(\u0001[^\u0002]*\u0002)/).forEach(function (part) {
      if (part.charAt(0) === "\u0001") paragraph.appendChild(text("mark", part.slice(1, -1)));
      else if (part) paragraph.appendChild(document.createTextNode(part));
    });
    return paragraph;
  }

  /* An article's words are indexed by paragraph: the paragraph with most of the query's words is
     where the result opens, and its excerpt is the one shown. */
  function bestPart(data) {
    var best = null;
    (data.sub_results || []).forEach(function (sub) {
      if (sub.url.indexOf("#p") < 0) return;
      if (!best || (sub.locations || []).length > (best.locations || []).length) best = sub;
    });
    return best;
  }

  /* The index knows paragraphs; the sentence map (written with the site) knows where each sentence
     of a paragraph starts, in words. */
  function mapOf(data) {
    var n = data.meta && data.meta.sentences;
    if (!n || !/^\d+$/.test(n)) return Promise.resolve(null);
    if (!maps[n]) {
      maps[n] = fetch(base + "search/sentences." + n + ".json").then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return maps[n];
  }

  /* The sentence of the best paragraph that holds most of the words found, as a link: #sN on the
     page of the article that shows it; null when the map does not say. */
  function sentenceUrl(data, part, map) {
    if (!map || !part || !part.anchor || !/^p\d+$/.test(part.anchor.id)) return null;
    var page = data.url.indexOf(base) === 0 ? data.url.slice(base.length) : data.url.replace(/^\//, "");
    var entry = Object.prototype.hasOwnProperty.call(map, page) ? map[page] : null;
    var row = entry && (Array.isArray(entry) ? entry : entry.p)[Number(part.anchor.id.slice(1))];
    if (!row || row.length < 2) return null;
    var counts = [], best = 0;
    (part.locations || []).forEach(function (location) {
      var word = location - part.anchor.location - 1;  /* the anchor's own word is its pilcrow */
      var k = 0;
      while (k + 1 < row.length - 1 && row[k + 2] <= word) k++;
      counts[k] = (counts[k] || 0) + 1;
      if (counts[k] > (counts[best] || 0)) best = k;
    });
    var id = row[0] + best, target = base + page;
    if (!Array.isArray(entry)) {  /* a long article: the page of its parts that shows the sentence */
      entry.parts.forEach(function (p) { if (p[0] <= id) target = base + p[1]; });
    }
    return target + "#s" + id;
  }

  function resultItem(data, map) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("p");
    heading.className = "search-title";
    var meta = data.meta || {};
    var part = bestPart(data);
    var link = text("a", meta.title || data.url);
    link.href = sentenceUrl(data, part, map) || (part ? part.url : data.url);
    heading.appendChild(link);
    var kind = (data.filters && data.filters.kind && data.filters.kind[0]) || "";
    if (kind) heading.appendChild(text("span", kind === "actor" && meta.type ? meta.type : kind, "badge"));
    item.appendChild(heading);
    var facts = [];
    if (kind === "actor" && meta.mentions) facts.push(meta.mentions === "1" ? "1 mention" : meta.mentions + " mentions");
    if (meta.outlet) facts.push(meta.outlet);
    if (meta.date) facts.push(meta.date);
    if (kind === "article" && !meta.outlet) facts.push("outlet unknown");
    if (facts.length) item.appendChild(text("p", facts.join(" · "), "search-facts"));
    var shownExcerpt = part ? part.excerpt : data.excerpt;
    if (shownExcerpt) item.appendChild(excerpt(shownExcerpt.replace(/^\s*¶\s*/, "").replace(/\s*¶\s*/g, " ")));
    return item;
  }

  function dataOf(result) {
    if (!result.loaded) result.loaded = result.data();
    return result.loaded;
  }

  /* Pagefind ranks by words; a reader who types a name wants that actor. Among the first results, the
     actors whose name holds every word typed come first, the most named first; the rest keep
     Pagefind's order. */
  var RERANKED = 40;
  function words(value) {
    return value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function rerank(results, query) {
    var head = results.slice(0, RERANKED);
    var wanted = words(query);
    return Promise.all(head.map(dataOf)).then(function (all) {
      var named = [], rest = [];
      head.forEach(function (result, i) {
        var data = all[i], meta = data.meta || {};
        var kind = data.filters && data.filters.kind && data.filters.kind[0];
        var name = words(meta.title || "");
        var matches = kind === "actor" && wanted.every(function (w) { return name.indexOf(w) >= 0; });
        (matches ? named : rest).push({ result: result, mentions: Number(meta.mentions) || 0, order: i });
      });
      named.sort(function (a, b) { return b.mentions - a.mentions || a.order - b.order; });
      return named.concat(rest).map(function (x) { return x.result; }).concat(results.slice(RERANKED));
    });
  }

  function showMore() {
    var batch = found.slice(shown, shown + PAGE);
    var mine = generation;
    shown += batch.length;
    Promise.all(batch.map(dataOf)).then(function (all) {
      return Promise.all(all.map(mapOf)).then(function (found) {
        if (mine !== generation) return;
        all.forEach(function (data, i) { list.appendChild(resultItem(data, found[i])); });
        more.hidden = shown >= found.length;
      });
    });
  }

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    list.textContent = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return; }
    var filters = {};
    Object.keys(chosen).forEach(function (name) { if (chosen[name].length) filters[name] = { any: chosen[name] }; });
    pagefind.debouncedSearch(query, { filters: filters }, 200).then(function (search) {
      if (search === null || mine !== generation) return null;  /* a newer query replaced this one */
      return rerank(search.results, query);
    }).then(function (ranked) {
      if (ranked === null || mine !== generation) return;
      found = ranked;
      shown = 0;
      status.textContent = found.length === 1 ? "1 result" : found.length + " results";
      showMore();
    });
    var url = new URL(location.href);
    url.searchParams.set("q", query);
    history.replaceState(null, "", url);
  }

  function filterControls(all) {
    Object.keys(all).sort().forEach(function (name) {
      if (name === "kind" && Object.keys(all[name]).length < 2) return;
      var group = document.createElement("fieldset");
      group.appendChild(text("legend", name.charAt(0).toUpperCase() + name.slice(1)));
      Object.keys(all[name]).sort().forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.value = value;
        box.addEventListener("change", function () {
          chosen[name] = Array.prototype.map.call(group.querySelectorAll("input:checked"), function (b) { return b.value; });
          run();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " (" + all[name][value] + ")"));
        group.appendChild(label);
      });
      filterBox.appendChild(group);
    });
  }

  import(base + bundles[0] + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: base, excerptLength: 30 });
  }).then(function () {
    return Promise.all(bundles.slice(1).map(function (b) { return pagefind.mergeIndex(base + b); }));
  }).then(function () {
    return pagefind.filters();
  }).then(function (all) {
    document.querySelector(".search-note").hidden = true;
    root.hidden = false;
    filterControls(all);
    input.addEventListener("input", run);
    root.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); run(); });
    more.addEventListener("click", showMore);
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) run();
  });
})();
