/**
 * Worker thread entry (parse-client.ts starts it): parses, redacts and encodes sources on its own
 * core while the main thread writes. One redactor for the whole session, as in the calling thread.
 * Messages in: job, ack (one per batch the main thread wrote), summary. Out: format, batch, done, error, summary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRedactor } from '../redact/index.js';
import { BatchEncoder, transferList } from './batch.js';
import { parseSource, type ParseJob } from './parse-source.js';
import { errorToWire, IN_FLIGHT, type FromWorker, type ToWorker } from './parse-wire.js';

const port = parentPort!;
const redactor = createRedactor({ key: Buffer.from(workerData.key as Uint8Array) });
const encoder = new BatchEncoder();
let credits = IN_FLIGHT;
let wake: (() => void) | null = null;

const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

async function run(job: ParseJob): Promise<void> {
  try {
    const result = await parseSource(job, redactor, encoder, {
      format: (id) => post({ t: 'format', id }),
      stats: (stats) => post({ t: 'stats', stats }),
      batch: async (b, bytesSeen) => {
        while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
        credits--;
        post({ t: 'batch', b, bytesSeen }, transferList(b));
      },
    });
    post({ t: 'done', result });
  } catch (err) {
    post({ t: 'error', error: errorToWire(err) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'ack') {
    credits++;
    const w = wake;
    wake = null;
    w?.();
  } else if (m.t === 'job') {
    credits = IN_FLIGHT;
    void run(m.job);
  } else if (m.t === 'summary') {
    post({ t: 'summary', counts: redactor.summary() });
  }
});
