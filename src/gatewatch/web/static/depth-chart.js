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
  const levelName = (level) => `${level} · ${data.levels[level] || ""}`;
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
        y: { min: 0, ticks: { stepSize: 1, callback: levelName } },
      },
      plugins: { legend: { display: false } },
    },
  });
  canvas.dataset.points = String(chart.data.datasets[0].data.length);
})();
