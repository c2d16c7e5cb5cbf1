/* With JavaScript the header's "Find an actor" link becomes a search box (Pagefind). */
(function () {
  var form = document.querySelector(".search-box"), fallback = document.querySelector(".search-fallback");
  if (!form || !fallback || location.protocol === "file:") return;  /* Pagefind needs http(s) */
  form.hidden = false;
  fallback.hidden = true;
})();
