/* The search page: Pagefind's UI, with the query from ?q= and results under this site's own path. */
(function () {
  function start() {
    if (typeof PagefindUI === "undefined") return;
    document.querySelector(".search-note").hidden = true;
    var base = new URL(".", location.href).pathname;  /* the site's root, wherever it is hosted */
    var q = new URLSearchParams(location.search).get("q") || "";
    /* Pagefind labels its input with a title only; give it a real label and show the query. */
    new MutationObserver(function (_, observer) {
      var input = document.querySelector(".pagefind-ui__search-input");
      if (!input) return;
      input.setAttribute("aria-label", "Search the dossier");
      if (q && !input.value) input.value = q;
      observer.disconnect();
    }).observe(document.getElementById("search"), { childList: true, subtree: true });
    /* The index comes in shards (one Pagefind bundle each): the first is searched, the rest merged in. */
    var bundles = document.getElementById("search").dataset.bundles.split(" ").filter(Boolean);
    var ui = new PagefindUI({ element: "#search", baseUrl: base, bundlePath: base + bundles[0],
                              mergeIndex: bundles.slice(1).map(function (b) { return { bundlePath: base + b }; }),
                              showSubResults: true, resetStyles: false });
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
