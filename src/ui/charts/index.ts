export { ChartSeries, chooseInterval, LATENCY_PERCENTILES, type ChartSeriesOptions, type ChartPoint, type ChartSeriesData, type LineChartData, type BarChartData, type BarDatum, type ValueUnit } from './series.ts';
export { LineChart, MAX_MARKERS, type LineChartSize } from './LineChart.ts';
export { BarChart } from './BarChart.ts';
export { ChartsPanel } from './ChartsPanel.ts';
export { seriesStyle, markerPath, type SeriesStyle, type MarkerShape } from './palette.ts';
export { formatValue, formatTime } from './format.ts';
