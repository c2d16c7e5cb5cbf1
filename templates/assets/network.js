/* The network page: show or hide the actors of a type, and light up an actor's links while the
   pointer or the keyboard focus is on it. The picture and its table are whole without this. */
(function () {
  var svg = document.querySelector("svg.network.wide");
  var filter = document.querySelector(".network-filter");
  if (!svg || !filter) return;
  var nodes = Array.prototype.slice.call(svg.querySelectorAll("a.node"));
  var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge[data-ends]"));
  var typeOf = {};
  nodes.forEach(function (node) {
    typeOf[node.dataset.actor] = (node.getAttribute("class").match(/type-(\w+)/) || [])[1];
  });

  function apply() {
    var shown = {};
    filter.querySelectorAll("input").forEach(function (box) { shown[box.value] = box.checked; });
    nodes.forEach(function (node) {
      var hidden = !shown[typeOf[node.dataset.actor]];
      node.style.display = hidden ? "none" : "";
      node.setAttribute("tabindex", hidden ? "-1" : "0");
    });
    edges.forEach(function (edge) {
      var ends = edge.dataset.ends.split(" ");
      edge.style.display = shown[typeOf[ends[0]]] && shown[typeOf[ends[1]]] ? "" : "none";
    });
  }

  function light(id) {
    svg.classList.toggle("lit", Boolean(id));
    edges.forEach(function (edge) {
      edge.classList.toggle("on", Boolean(id) && edge.dataset.ends.split(" ").indexOf(id) >= 0);
    });
    nodes.forEach(function (node) {
      var near = id && (node.dataset.actor === id || edges.some(function (edge) {
        var ends = edge.dataset.ends.split(" ");
        return edge.classList.contains("on") && ends.indexOf(node.dataset.actor) >= 0;
      }));
      node.classList.toggle("on", Boolean(near));
    });
  }

  function from(event) {
    var node = event.target.closest && event.target.closest("a.node");
    light(node ? node.dataset.actor : null);
  }
  svg.addEventListener("mouseover", from);
  svg.addEventListener("mouseleave", function () { light(null); });
  svg.addEventListener("focusin", from);
  svg.addEventListener("focusout", function () { light(null); });
  filter.addEventListener("change", apply);
  filter.hidden = false;
})();
