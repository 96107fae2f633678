// Offer the map as a PNG too: draw the SVG onto a canvas in the browser.
(function () {
  "use strict";
  const button = document.getElementById("png-download");
  const svg = document.querySelector("svg.portfolio-map");
  if (!button || !svg || !window.XMLSerializer) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    const box = svg.viewBox.baseVal;
    const scale = 2;
    const source = new XMLSerializer().serializeToString(svg);
    const image = new Image();
    image.onload = function () {
      const canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      const link = document.createElement("a");
      link.download = "portfolio-map.png";
      link.href = canvas.toDataURL("image/png");
      link.click();
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
  });
})();
