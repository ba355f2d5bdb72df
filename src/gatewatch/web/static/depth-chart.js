// A person's visits over time by the deepest level reached: a narrowing approach climbs.
// Drawn with Chart.js when the build installed it; the table beside it says the same in text.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("depth-data").textContent);
  const canvas = document.getElementById("depth-chart");
  if (!window.Chart || !canvas || !data.visits.length) {
    if (canvas) canvas.closest(".chart-box").hidden = true;
    return;
  }
  // On a narrow screen the axis says the level only (the table below names it); wider, the
  // zones at that level, one per line, so that no label is cut at the chart's edge.
  const narrow = () => canvas.clientWidth < 560;
  const levelName = (level) => {
    if (narrow()) return String(level);
    const zones = (data.levels[level] || "").split(" / ").filter(Boolean);
    return zones.length ? [`${level} · ${zones[0]}`, ...zones.slice(1)] : String(level);
  };
  const chart = new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.visits.map((v) => v.at.slice(0, 16).replace("T", " ")),
      datasets: [
        {
          label: "deepest level reached",
          data: data.visits.map((v) => v.level),
          stepped: false,
          borderColor: "#b3261e",
          backgroundColor: "#b3261e",
          pointRadius: 5,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        y: {
          min: 0,
          ticks: { stepSize: 1, callback: levelName },
          title: { display: true, text: "deepest level" },
        },
      },
      plugins: { legend: { display: false } },
    },
  });
  canvas.dataset.points = String(chart.data.datasets[0].data.length);

  // How much room the level axis has beyond its widest label (negative: a label is cut).
  function measureRoom() {
    const scale = chart.scales.y;
    const context = chart.ctx;
    context.save();
    context.font = window.Chart.helpers.toFont(scale.options.ticks.font).string;
    const lines = scale.ticks.flatMap((tick) => [].concat(tick.label));
    const widest = Math.max(0, ...lines.map((line) => context.measureText(String(line)).width));
    context.restore();
    canvas.dataset.labelRoom = String(Math.floor(scale.width - widest));
  }
  measureRoom();
  chart.options.onResize = () => setTimeout(measureRoom, 0);
})();
