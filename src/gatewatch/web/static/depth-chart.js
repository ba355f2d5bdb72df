// A person's visits over time by the deepest level reached: a narrowing approach climbs.
// Drawn with Chart.js when the build installed it; the table beside it says the same in text.
// Each visit stands at its time on a linear axis of instants (no date library needed), so visits
// that come faster stand closer together; the axis is labelled with dates on the site's calendar.
// Every time the page gives is on the site's clock, ISO 8601 with the site's offset then.
// For those shown the assessment, each signal's events are marked at their visit, one point
// style per signal, named in the legend (the table of marks below the chart lists them too).
(function () {
  "use strict";
  const DAY = 24 * 60 * 60 * 1000;
  const room = 16;  // pixels a point's mark may stand outside the plot, at its edges
  const data = JSON.parse(document.getElementById("depth-data").textContent);
  const canvas = document.getElementById("depth-chart");
  if (!window.Chart || !canvas || !data.visits.length) {
    if (canvas) canvas.closest(".chart-box").hidden = true;
    return;
  }
  // On a narrow screen the axis says the level only (the table below names it), and the legend
  // is small; wider, the zones at that level, one per line, so that no label is cut at the chart's
  // edge. The legend stands under the chart, clear of the level axis's top label.
  const narrow = () => canvas.clientWidth < 560;
  const levelName = (level) => {
    if (narrow()) return String(level);
    const zones = (data.levels[level] || "").split(" / ").filter(Boolean);
    return zones.length ? [`${level} · ${zones[0]}`, ...zones.slice(1)] : String(level);
  };
  const shown = (at) => at.slice(0, 16).replace("T", " ");
  const visits = data.visits.map((v) => ({ x: Date.parse(v.at), y: v.level, when: shown(v.at), offset: offsetOf(v.at) }));
  const signals = signalDatasets(data.marks || [], visits);
  const first = visits[0].x;
  const last = visits[visits.length - 1].x;
  const pad = Math.max((last - first) * 0.04, DAY);  // room for the first and last points' marks
  const labels = new Map();  // tick instant -> its date, set as the ticks are made
  // The level axis runs to the site's deepest level: how near the approach came to it shows.
  const top = Math.max(...Object.keys(data.levels).map(Number).filter(Number.isFinite), ...visits.map((v) => v.y));
  const chart = new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        {
          label: "deepest level reached",
          data: visits,
          borderColor: "#b3261e",
          backgroundColor: "#b3261e",
          pointRadius: 5,
          clip: room,
        },
        ...signals,
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      layout: { padding: { top: room, right: room / 2 } },
      scales: {
        x: {
          type: "linear",
          bounds: "data",
          min: first - pad,
          max: last + pad,
          afterBuildTicks: (scale) => {
            scale.ticks = calendarTicks(scale.min, scale.max, Math.max(2, Math.floor(scale.width / 72)));
          },
          ticks: { autoSkip: true, maxRotation: 0, callback: (value) => labels.get(value) || "" },
          title: { display: true, text: "visit began (site time)" },
        },
        y: {
          min: 0,
          max: top,
          ticks: { stepSize: 1, callback: levelName },
          title: { display: true, text: "deepest level" },
        },
      },
      plugins: {
        legend: legendOptions(),
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? items[0].raw.when : ""),
            label: (item) =>
              item.raw.event
                ? `${item.dataset.label}: ${item.raw.event} (${item.raw.at})`
                : `${item.dataset.label}: level ${item.raw.y}`,
          },
        },
      },
    },
  });
  canvas.dataset.points = String(chart.data.datasets[0].data.length);
  canvas.dataset.signals = String(signals.length);
  canvas.dataset.marks = String(signals.reduce((sum, set) => sum + set.data.length, 0));

  function legendOptions() {
    const small = narrow();
    return {
      display: signals.length > 0,
      position: "bottom",
      labels: {
        usePointStyle: true,
        boxWidth: small ? 8 : 10,
        boxHeight: small ? 8 : 10,
        padding: small ? 6 : 10,
        font: { size: small ? 11 : 12 },
      },
    };
  }

  // One dataset of points per signal, drawn at the visit each event belongs to.
  function signalDatasets(marks, visits) {
    const styles = ["triangle", "rectRot", "star", "crossRot", "rect", "cross", "rectRounded", "dash", "circle"];
    const colours = ["#1f5fa8", "#8a4b08", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#455a64", "#9e7700", "#37474f"];
    const bySignal = new Map();
    for (const mark of marks) {
      const visit = visits[mark.visit];
      if (!visit) continue;
      if (!bySignal.has(mark.signal)) bySignal.set(mark.signal, { label: mark.label, points: [] });
      bySignal.get(mark.signal).points.push({ x: visit.x, y: mark.level, event: mark.event, at: shown(mark.at), when: visit.when });
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
      clip: room,
    }));
  }

  // The offset from UTC, in minutes, that an ISO 8601 time was written with ("Z": none).
  function offsetOf(at) {
    const found = /([+-])(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?$/.exec(at);
    if (!found) return 0;
    const minutes = Number(found[2]) * 60 + Number(found[3]) + Number(found[4] || 0) / 60;
    return found[1] === "-" ? -minutes : minutes;
  }

  // The site's offset at an instant: that of the visit nearest to it (the page is given no zone
  // rules; a date label is off by an hour at most across a change of clocks, never by a day).
  function offsetAt(instant) {
    let best = visits[0];
    for (const visit of visits) if (Math.abs(visit.x - instant) < Math.abs(best.x - instant)) best = visit;
    return best.offset * 60 * 1000;
  }

  // Ticks at midnight on the site's calendar between min and max, at most about `room` of them:
  // every day, 2 days, week or fortnight for a short span; else the first of every month, 2, 3 or
  // 6 months, or of January every 1, 2, 5, 10... years. Each is labelled with its date.
  function calendarTicks(min, max, room) {
    const span = max - min;
    const start = new Date(min + offsetAt(min));  // its UTC fields: the site's clock at min
    const ticks = [];
    const take = (wall, label) => {  // wall: midnight of a date as if the site's clock were UTC
      const instant = wall - offsetAt(wall);
      if (instant >= min && instant <= max) ticks.push({ value: instant, label });
      return instant <= max;
    };
    const days = [1, 2, 7, 14].find((step) => span / (step * DAY) <= room);
    if (days) {
      let wall = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
      while (take(wall, new Date(wall).toISOString().slice(0, 10))) wall += days * DAY;
    } else {
      const steps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200];
      const months = steps.find((step) => span / (step * 30.44 * DAY) <= room) || steps[steps.length - 1];
      const monthly = (month) => {
        const wall = Date.UTC(Math.floor(month / 12), month % 12, 1);
        const date = new Date(wall).toISOString();
        return take(wall, months % 12 === 0 ? date.slice(0, 4) : date.slice(0, 7));
      };
      let month = Math.ceil((start.getUTCFullYear() * 12 + start.getUTCMonth()) / months) * months;
      while (monthly(month)) month += months;
    }
    labels.clear();
    for (const tick of ticks) labels.set(tick.value, tick.label);
    return ticks.map((tick) => ({ value: tick.value }));
  }

  // The legend small on a narrow screen; and how much room the level axis has beyond its widest
  // label (negative: a label is cut).
  function fit() {
    const wanted = legendOptions();
    if (chart.options.plugins.legend.labels.boxWidth !== wanted.labels.boxWidth) {
      chart.options.plugins.legend = wanted;
      chart.update("none");
    }
    const scale = chart.scales.y;
    const context = chart.ctx;
    context.save();
    context.font = window.Chart.helpers.toFont(scale.options.ticks.font).string;
    const lines = scale.ticks.flatMap((tick) => [].concat(tick.label));
    const widest = Math.max(0, ...lines.map((line) => context.measureText(String(line)).width));
    context.restore();
    canvas.dataset.labelRoom = String(Math.floor(scale.width - widest));
  }
  fit();
  chart.options.onResize = () => setTimeout(fit, 0);
})();
