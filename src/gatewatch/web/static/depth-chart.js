// A person's visits over time by the deepest level reached: a narrowing approach climbs.
// Drawn with Chart.js when the build installed it; the table beside it says the same in text.
// For those shown the assessment, each signal's events are marked at their visit, one point
// style per signal, named in the legend (the table of marks below the chart lists them too).
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
  const labels = data.visits.map((v) => v.at.slice(0, 16).replace("T", " "));
  const signals = signalDatasets(data.marks || [], labels);
  const chart = new window.Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: [
        {
          label: "deepest level reached",
          data: data.visits.map((v) => v.level),
          stepped: false,
          borderColor: "#b3261e",
          backgroundColor: "#b3261e",
          pointRadius: 5,
        },
        ...signals,
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
      plugins: {
        legend: { display: signals.length > 0 },
        tooltip: {
          callbacks: {
            label: (item) =>
              item.raw && item.raw.event
                ? `${item.dataset.label}: ${item.raw.event} (${item.raw.at.slice(0, 16).replace("T", " ")})`
                : `${item.dataset.label}: ${item.formattedValue}`,
          },
        },
      },
    },
  });
  canvas.dataset.points = String(chart.data.datasets[0].data.length);
  canvas.dataset.signals = String(signals.length);
  canvas.dataset.marks = String(signals.reduce((sum, set) => sum + set.data.length, 0));

  // One dataset of points per signal, drawn at the visit each event belongs to.
  function signalDatasets(marks, labels) {
    const styles = ["triangle", "rectRot", "star", "crossRot", "rect", "cross", "rectRounded", "dash", "circle"];
    const colours = ["#1f5fa8", "#8a4b08", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#455a64", "#9e7700", "#37474f"];
    const bySignal = new Map();
    for (const mark of marks) {
      if (!bySignal.has(mark.signal)) bySignal.set(mark.signal, { label: mark.label, points: [] });
      bySignal.get(mark.signal).points.push({ x: labels[mark.visit], y: mark.level, event: mark.event, at: mark.at });
    }
    return [...bySignal.values()].map((signal, n) => ({
      label: signal.label,
      data: signal.points,
      showLine: false,
      pointStyle: styles[n % styles.length],
      pointRadius: 8 + 2 * (n % 4),
      pointBorderWidth: 2,
      borderColor: colours[n % colours.length],
      backgroundColor: "rgba(0, 0, 0, 0)",
    }));
  }

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
