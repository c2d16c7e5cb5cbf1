/* Timeline filters: show only the events of one actor and/or one outlet. Without JavaScript the
   form stays hidden and the page shows every event; the outlet links above still filter. */
(function () {
  var form = document.querySelector(".filter-form");
  if (!form) return;
  var actor = form.querySelector("#filter-actor"), outlet = form.querySelector("#filter-outlet");
  var count = form.querySelector("#filter-count");
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  function has(list, id) { return !id || (" " + list + " ").indexOf(" " + id + " ") >= 0; }
  function apply() {
    var shown = 0;
    events.forEach(function (li) {
      var ok = has(li.dataset.actors, actor.value) && has(li.dataset.outlets, outlet.value);
      li.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll(".month, section.year").forEach(function (block) {
      block.hidden = !block.querySelector("li.event:not([hidden])");
    });
    count.textContent = shown + " of " + events.length + " events";
  }
  form.hidden = false;
  actor.addEventListener("change", apply);
  outlet.addEventListener("change", apply);
  var params = new URLSearchParams(location.search);
  if (params.get("actor")) actor.value = params.get("actor");
  if (params.get("outlet")) outlet.value = params.get("outlet");
  apply();
})();
