/* The search page: Pagefind's UI, with the query from ?q= and results under this site's own path. */
(function () {
  function start() {
    if (typeof PagefindUI === "undefined") return;
    document.querySelector(".search-note").hidden = true;
    var base = new URL(".", location.href).pathname;  /* the site's root, wherever it is hosted */
    var ui = new PagefindUI({ element: "#search", baseUrl: base, bundlePath: base + "pagefind/",
                              showSubResults: true, resetStyles: false });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
