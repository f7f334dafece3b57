/**
 * One keyboard listener for the whole app. Ink's useInput re-subscribes in a passive effect after
 * every render, and React may run those effects late: a fast second key then reaches the handler
 * of the previous render (or of a screen that just went away). So the app subscribes once with a
 * stable function, and each screen hands over its current handler while rendering; a key always
 * meets the handler of the frame the user is looking at.
 */
import type { Key } from 'ink';
import { useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

export interface KeyRouter {
  /** Called by the visible screen on every render. */
  bind(handler: KeyHandler): void;
  /** The handler of the last rendered screen. */
  current(): KeyHandler | null;
}

export function useKeyRouter(): KeyRouter {
  const ref = useRef<KeyRouter | null>(null);
  if (!ref.current) {
    let handler: KeyHandler | null = null;
    ref.current = {
      bind: (h) => {
        handler = h;
      },
      current: () => handler,
    };
  }
  return ref.current;
}

/** Keeps the latest value in a ref, for the one stable listener. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
