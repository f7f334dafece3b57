import type { Command } from '../keymap.js';
import type { Step } from '../navigation.js';

/** The movement a command means in a pane showing `viewport` rows, or null if it is not a movement. */
export function stepFor(cmd: Command | null, viewport: number): Step | null {
  switch (cmd) {
    case 'up': return -1;
    case 'down': return 1;
    case 'pageUp': return -Math.max(1, viewport - 1);
    case 'pageDown': return Math.max(1, viewport - 1);
    case 'home': return 'home';
    case 'end': return 'end';
    default: return null;
  }
}
