/**
 * Worker thread of `check --jobs N` (bundled as dist/checkWorker.js beside dist/cli.js): checks
 * the batches of sidecars it is sent, one answer per batch, problems in task order.
 */
import { answerRequests } from '../../node/workerPool';
import { SidecarChecker, type CheckTask } from './checkCommand';

const checker = new SidecarChecker();
answerRequests((tasks: readonly CheckTask[]) => tasks.flatMap((t) => checker.check(t)));
