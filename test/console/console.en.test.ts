import { consoleFlowsIn } from './console-flows';

consoleFlowsIn('en');
