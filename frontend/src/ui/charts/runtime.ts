// The Apache ECharts runtime, tree-shaken to what the report's charts use. Only ever loaded with
// a dynamic import (Chart.tsx), so pages without charts never download it.
import { BarChart, GraphChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { chartOption } from './options';
import type { ChartSpec } from './spec';

use([LineChart, BarChart, GraphChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

export interface MountedChart {
  show(spec: ChartSpec, moveIndex?: number): void;
  resize(): void;
  dispose(): void;
}

/** An ECharts instance drawing on a canvas inside `el`. */
export function mountChart(el: HTMLElement): MountedChart {
  const chart = init(el, undefined, { renderer: 'canvas' });
  return {
    show: (spec, moveIndex) => chart.setOption(chartOption(spec, moveIndex), { notMerge: true }),
    resize: () => chart.resize(),
    dispose: () => chart.dispose(),
  };
}
