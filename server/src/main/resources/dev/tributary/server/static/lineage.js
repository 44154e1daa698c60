// Zoom and pan for the lineage graph (progressive: without this script the SVG shows at its natural size and scrolls).
// The wheel or the +/- buttons zoom, dragging pans, Fit shows the whole graph, 100% goes back; on the focused SVG the
// keys + - 0 and the arrows do the same.
(function () {
  var svg = document.getElementById('lineage');
  if (!svg) return;
  var box = svg.parentElement;
  var full = { w: Number(svg.getAttribute('width')), h: Number(svg.getAttribute('height')) };
  var view = { x: 0, y: 0, w: full.w, h: full.h };
  var scale = 1;
  box.classList.add('zoomable');
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', String(Math.round(Math.min(full.h, Math.max(320, window.innerHeight * 0.7)))));

  function apply() {
    svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(1); }).join(' '));
    svg.setAttribute('data-scale', scale.toFixed(3));
  }
  function size() {
    var r = svg.getBoundingClientRect();
    return { w: r.width || 1, h: r.height || 1 };
  }
  // zoom by factor around a point given as fractions (0..1) of the visible area
  function zoomAt(factor, fx, fy) {
    var next = Math.min(8, Math.max(0.05, scale * factor));
    factor = next / scale;
    scale = next;
    var w = view.w / factor, h = view.h / factor;
    view.x += (view.w - w) * fx;
    view.y += (view.h - h) * fy;
    view.w = w;
    view.h = h;
    apply();
  }
  function actual() {
    var s = size();
    scale = 1;
    view = { x: 0, y: 0, w: s.w, h: s.h };
    apply();
  }
  function fit() {
    var s = size();
    var k = Math.min(s.w / full.w, s.h / full.h);
    scale = k;
    view = { x: 0, y: 0, w: s.w / k, h: s.h / k };
    apply();
  }
  function pan(dx, dy) {
    view.x += dx / scale;
    view.y += dy / scale;
    apply();
  }

  var bar = document.createElement('div');
  bar.className = 'zoom-bar';
  [['zoom-in', '+', 'Zoom in', function () { zoomAt(1.25, 0.5, 0.5); }],
   ['zoom-out', '−', 'Zoom out', function () { zoomAt(0.8, 0.5, 0.5); }],
   ['zoom-fit', 'Fit', 'Show the whole graph', fit],
   ['zoom-reset', '100%', 'Actual size', actual]].forEach(function (b) {
    var button = document.createElement('button');
    button.type = 'button';
    button.id = b[0];
    button.textContent = b[1];
    button.setAttribute('aria-label', b[2]);
    button.title = b[2];
    button.addEventListener('click', b[3]);
    bar.appendChild(button);
  });
  var hint = document.createElement('span');
  hint.className = 'hint muted';
  hint.textContent = 'Drag to pan, scroll to zoom; keys + − 0 and arrows when the graph has focus.';
  bar.appendChild(hint);
  box.parentElement.insertBefore(bar, box);

  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
  }, { passive: false });

  var drag = null;
  svg.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, moved: false };
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    box.classList.add('dragging');
    pan(-dx, -dy);
    drag.x = e.clientX;
    drag.y = e.clientY;
  });
  window.addEventListener('pointerup', function () {
    box.classList.remove('dragging');
    if (drag && drag.moved) {
      // the drag ended on a node: do not follow its link
      svg.addEventListener('click', function stop(e) { e.preventDefault(); e.stopPropagation(); svg.removeEventListener('click', stop, true); }, true);
    }
    drag = null;
  });
  svg.addEventListener('keydown', function (e) {
    var step = 60;
    var keys = { '+': function () { zoomAt(1.25, 0.5, 0.5); }, '=': function () { zoomAt(1.25, 0.5, 0.5); }, '-': function () { zoomAt(0.8, 0.5, 0.5); },
      '0': actual, ArrowLeft: function () { pan(-step, 0); }, ArrowRight: function () { pan(step, 0); },
      ArrowUp: function () { pan(0, -step); }, ArrowDown: function () { pan(0, step); } };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });

  actual();
  var focus = svg.querySelector('g.node.focus');
  if (focus) {
    // centre the focused node
    var m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(focus.getAttribute('transform') || '');
    if (m) {
      view.x = Math.max(0, Number(m[1]) + 100 - view.w / 2);
      view.y = Math.max(0, Number(m[2]) + 15 - view.h / 2);
      apply();
    }
  }
})();
