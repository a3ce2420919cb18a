import { consoleFlowsIn } from './console-flows';

consoleFlowsIn('zh-CN');
