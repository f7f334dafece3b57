/**
 * Field definitions shared by the AWS load balancer formats (Classic ELB and ALB): both log the
 * client as ip:port, three processing times in seconds (-1 when the load balancer answered by
 * itself), the status the client got and the backend's status (`-` when no backend answered).
 */
import type { VarDef } from '../../template/types.js';
import { hostOnly, numValue, statusValue } from '../../template/values.js';
import { putExtra, putTmp } from '../../template/vars.js';

/** A processing time in seconds into ctx.tmp[key]; `-` is accepted only when `allowDash`. */
export function lbSeconds(key: string, allowDash: boolean): VarDef {
  return {
    expect: 'seconds or -1',
    apply(_r, v, ctx) {
      const x = numValue(v);
      if (x === undefined || (x === null && !allowDash)) return false;
      putTmp(ctx, key, x);
      return true;
    },
  };
}

export const lbClient: VarDef = {
  expect: 'client ip:port',
  apply(r, v) {
    if (v.indexOf(':') < 0) return false;
    r.clientIp = hostOnly(v, true);
    return true;
  },
};

/** The status the client got, also kept as extra[extraKey]. */
export const lbStatus: VarDef = {
  expect: 'an HTTP status',
  apply(r, v, ctx) {
    const s = statusValue(v);
    if (s === undefined) return false;
    r.status = s; // `-` (TCP listener, unparsable request): no HTTP status at all, not a failure by itself
    putExtra(ctx, 'elbStatus', r.status);
    return true;
  },
};

/** The backend's (target's) status: raw in upstreamStatus, as a number in extra[extraKey]. */
export function lbBackendStatus(extraKey: string): VarDef {
  return {
    expect: 'an HTTP status or -',
    apply(r, v, ctx) {
      const s = statusValue(v);
      if (s === undefined) return false;
      r.upstreamStatus = v;
      putExtra(ctx, extraKey, s);
      return true;
    },
  };
}
