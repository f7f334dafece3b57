import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

/** Smallest layout we design for; a smaller terminal gets a clipped but sane screen. */
export const MIN_SIZE: Size = { columns: 40, rows: 10 };

function read(stdout: NodeJS.WriteStream): Size {
  return {
    columns: Math.max(MIN_SIZE.columns, stdout.columns || 80),
    rows: Math.max(MIN_SIZE.rows, stdout.rows || 24),
  };
}

/** The terminal size, following 'resize'. `fixed` pins it (tests, embedding). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState<Size>(() => fixed ?? read(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
