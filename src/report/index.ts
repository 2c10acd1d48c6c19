// Reports: a self-contained HTML page with learning curves and tuning-study plots, a callback that writes it,
// and small terminal charts.
export { writeReport, renderReport } from './html.js';
export type { ReportInput, TrainingHistoryInput, StudyInput } from './report-model.js';
export { ReportCallback, type ReportCallbackOptions } from './report-callback.js';
export { textChart, sparkline, type TextChartOptions } from './text-chart.js';
