/**
 * The four charts, drawn with Chart.js (bundled into the page: nothing loads from a CDN). Only the
 * parts the charts use are registered, which keeps the bundle small. Animations are off: operators
 * read numbers, and a chart is complete as soon as it is drawn.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import * as format from './format';
import type { Cohort, ExperimentComparison, Liability, PurchasePeriod, RetentionReport } from './queries';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.register(MatrixController, MatrixElement);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

const BLUE = '#1f5fa8';
const ORANGE = '#c25400';
const GREY = '#6b7280';

/**
 * Replaces whatever the canvas showed; `data-points` tells how many values the new chart plots, and
 * the section says so in words when there is nothing to plot.
 */
function draw<Type extends ChartType>(canvas: HTMLCanvasElement, config: ChartConfiguration<Type>, points: number): void {
  Chart.getChart(canvas)?.destroy();
  new Chart(canvas, config);
  canvas.dataset.points = String(points);
  const empty = canvas.closest('section')?.querySelector<HTMLElement>('.empty');
  if (empty) empty.hidden = points > 0;
}

const definedCount = (values: Array<number | null>) => values.filter((value) => value !== null).length;

/** Retention rate per period and repeat-purchase rate per period, in percent, on one axis. */
export function drawRetention(canvas: HTMLCanvasElement, periods: RetentionReport[], purchases: PurchasePeriod[]): void {
  const retention = periods.map((period) => period.rate);
  const repeat = purchases.map((period) => period.repeatPurchaseRate);
  draw(
    canvas,
    {
      type: 'line',
      data: {
        labels: periods.map((period) => format.day(period.from)),
        datasets: [
          { label: 'Retention rate (%)', data: retention, borderColor: BLUE, backgroundColor: BLUE },
          { label: 'Repeat-purchase rate (%)', data: repeat, borderColor: ORANGE, backgroundColor: ORANGE, borderDash: [6, 4] },
        ],
      },
      options: {
        scales: {
          y: { min: 0, suggestedMax: 100, title: { display: true, text: '%' } },
          x: { title: { display: true, text: 'period starting' } },
        },
        plugins: {
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format.optional(item.parsed.y, format.percent)}` } },
        },
      },
    },
    definedCount(retention) + definedCount(repeat),
  );
}

/** White → blue by share (0–100 %), so that the darkest cells are the cohorts that keep buying. */
function heat(share: number): string {
  const mix = Math.max(0, Math.min(1, share / 100));
  const channel = (from: number, to: number) => Math.round(from + (to - from) * mix);
  return `rgb(${channel(240, 31)}, ${channel(246, 95)}, ${channel(252, 168)})`;
}

/** Cohort heatmap: rows are months of first order, columns months since, the colour the share still buying. */
export function drawCohorts(canvas: HTMLCanvasElement, cohorts: Cohort[]): void {
  const columns = Math.max(0, ...cohorts.map((cohort) => cohort.cells.length));
  const xLabels = Array.from({ length: columns }, (_, since) => String(since));
  const yLabels = cohorts.map((cohort) => cohort.month);
  const cells = cohorts.flatMap((cohort) => cohort.cells.map((cell) => ({ x: String(cell.monthsSince), y: cohort.month, v: cell.share })));
  draw(
    canvas,
    {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'Share still buying (%)',
            data: cells,
            backgroundColor: (context) => heat((context.raw as { v: number }).v),
            borderColor: '#ffffff',
            borderWidth: 1,
            width: ({ chart }) => (chart.chartArea?.width ?? 0) / Math.max(1, columns),
            height: ({ chart }) => (chart.chartArea?.height ?? 0) / Math.max(1, yLabels.length),
          },
        ],
      },
      options: {
        scales: {
          x: {
            type: 'category',
            labels: xLabels,
            offset: true,
            grid: { display: false },
            title: { display: true, text: 'months since first order' },
          },
          y: {
            type: 'category',
            labels: yLabels,
            offset: true,
            reverse: false,
            grid: { display: false },
            title: { display: true, text: 'first order' },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (item) => {
                const cell = item.raw as { x: string; y: string; v: number };
                return `${format.month(cell.y)}, month ${cell.x}: ${format.percent(cell.v)}`;
              },
            },
          },
        },
      },
    },
    // Empty cohorts come with cells too (share 0): only members make something to draw.
    cohorts.filter((cohort) => cohort.members > 0).reduce((count, cohort) => count + cohort.cells.length, 0),
  );
}

/**
 * The relative lift of each metric (treatment / control − 1, in percent): a bar spans its 95 %
 * confidence interval and a diamond marks the estimate; 0 is no effect.
 */
export function drawLift(canvas: HTMLCanvasElement, comparisons: ExperimentComparison[]): void {
  const toPercent = (value: number | null | undefined) => (value === null || value === undefined ? null : value * 100);
  const intervals = comparisons.map((comparison) => {
    const low = toPercent(comparison.relativeLift?.low);
    const high = toPercent(comparison.relativeLift?.high);
    return low === null || high === null ? null : ([low, high] as [number, number]);
  });
  const estimates = comparisons.map((comparison) => toPercent(comparison.relativeLift?.value));
  draw(
    canvas,
    {
      type: 'bar',
      data: {
        labels: comparisons.map((comparison) => format.METRIC_NAMES[comparison.metric]),
        datasets: [
          {
            type: 'line',
            label: 'Relative lift (%)',
            data: estimates,
            showLine: false,
            pointStyle: 'rectRot',
            pointRadius: 7,
            borderColor: ORANGE,
            backgroundColor: ORANGE,
          },
          {
            type: 'bar',
            label: '95 % confidence interval',
            // Floating bars: each value is [low, high].
            data: intervals as unknown as number[],
            backgroundColor: 'rgba(31, 95, 168, 0.35)',
            borderColor: BLUE,
            borderWidth: 1,
            barPercentage: 0.4,
          },
        ],
      },
      options: {
        scales: {
          y: {
            title: { display: true, text: 'lift over control (%)' },
            grid: { color: (tick) => (tick.tick.value === 0 ? GREY : '#e5e7eb') },
          },
        },
      },
    },
    definedCount(estimates) + intervals.filter((range) => range !== null).length,
  );
}

/** Outstanding points by the month they expire (points that never expire last). */
export function drawLiability(canvas: HTMLCanvasElement, report: Liability): void {
  const months = report.byExpiryMonth;
  draw(
    canvas,
    {
      type: 'bar',
      data: {
        labels: months.map((bucket) => (bucket.month === null ? 'never' : format.month(bucket.month))),
        datasets: [{ label: 'Points', data: months.map((bucket) => bucket.points), backgroundColor: BLUE }],
      },
      options: {
        scales: { y: { beginAtZero: true, title: { display: true, text: 'points' } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const bucket = months[item.dataIndex]!;
                return `${format.count(bucket.points)} points, ${format.money(bucket.value, report.currency)}`;
              },
            },
          },
        },
      },
    },
    months.length,
  );
}
