/**
 * The faultline TUI: one reducer for navigation, one key map, one theme, and three screens that
 * read the view model through a TuiSource. Layout: the screen (or an overlay) fills all rows but
 * the last two: a status row (search prompt, messages, active filters) and the key footer. The
 * whole frame is one row shorter than the terminal so Ink's trailing newline never scrolls it.
 */
import { Box, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { FilterMenu } from './components/filter-menu.js';
import { Footer } from './components/footer.js';
import { HelpOverlay, helpLines } from './components/help-overlay.js';
import { StatusLine } from './components/status-line.js';
import { ThemeContext } from './components/theme-context.js';
import { useKeyRouter } from './key-router.js';
import type { KeyContext } from './keymap.js';
import { current, initialState, navigate, type NavState } from './navigation.js';
import { PagerCache } from './pager-cache.js';
import { IncidentScreen } from './screens/incident.js';
import { OverviewScreen } from './screens/overview.js';
import { RequestScreen } from './screens/request.js';
import type { ScreenProps } from './screens/types.js';
import type { ReportScope, TuiSource } from './source.js';
import { createTheme, type Theme } from './theme.js';
import { useAppInput } from './use-app-input.js';
import { useLive } from './use-live.js';
import { MIN_SIZE, tooSmall, useTerminalSize, type Size } from './use-terminal-size.js';
import { LinePane } from './components/line-pane.js';
import { wrapped } from './lines.js';
import { filterOptions } from './views/filter-options.js';

export interface AppProps {
  source: TuiSource;
  /** Pins the size instead of following the terminal (tests). */
  size?: Size;
  theme?: Theme;
  /** Start somewhere other than the overview (tests). */
  initial?: NavState;
  /** How long a new incident stays marked in follow mode (tests shorten it). */
  flashMs?: number;
}

export function App({ source, size, theme, initial, flashMs }: AppProps) {
  const [state, dispatch] = useReducer(navigate, initial ?? initialState());
  const { columns, rows } = useTerminalSize(size);
  const app = useApp();
  const { version, live } = useLive(source, state, dispatch, flashMs);
  // Pagers hold pages of the data as it was: a live refresh starts them again (lazily).
  const pagers = useRef<{ cache: PagerCache; version: number } | null>(null);
  if (pagers.current?.version !== version) pagers.current = { cache: new PagerCache(source), version };
  const th = useMemo(() => theme ?? createTheme(), [theme]);

  useEffect(() => {
    if (state.quit) app.exit();
  }, [state.quit, app]);

  const onExport = useCallback(
    (scope: ReportScope) => {
      dispatch({ type: 'status', text: 'writing the report…' });
      source.exportReport(scope).then(
        (path) => dispatch({ type: 'status', text: `report written: ${path}` }),
        (err: unknown) => {
          const msg = err instanceof Error ? err.message : String(err);
          dispatch({ type: 'status', text: msg.startsWith('report unavailable') ? msg : `report unavailable: ${msg}`, tone: 'error' });
        },
      );
    },
    [source],
  );

  const width = columns;
  const height = rows - 1;
  const bodyHeight = Math.max(3, height - 2);
  const screen = current(state);
  const context: KeyContext = screen.kind;
  const overlay = state.overlay;

  const keys = useKeyRouter();
  useAppInput({
    state, dispatch, context, overlayViewport: bodyHeight, keys,
    helpCount: helpLines(context, width).length,
    filterOptions: () => filterOptions(source.overview(), state.filters, state.time),
  });

  const props: ScreenProps = {
    state, dispatch, source, pagers: pagers.current.cache, width, height: bodyHeight, keys, onExport, version, ...(live ? { live } : {}),
  };
  let body;
  if (overlay?.kind === 'help') body = <HelpOverlay context={context} scroll={overlay.scroll} width={width} height={bodyHeight} />;
  else if (overlay?.kind === 'filter') body = <FilterMenu options={filterOptions(source.overview(), state.filters, state.time)} list={overlay.list} width={width} height={bodyHeight} />;
  else if (screen.kind === 'overview') body = <OverviewScreen {...props} />;
  else if (screen.kind === 'incident') body = <IncidentScreen key={screen.id} {...props} />;
  else body = <RequestScreen key={screen.id} {...props} />;

  if (tooSmall({ columns, rows })) {
    return (
      <ThemeContext.Provider value={th}>
        <LinePane
          rows={wrapped('', `faultline needs ${MIN_SIZE.columns}×${MIN_SIZE.rows} (now ${columns}×${rows}); q quits`, Math.max(8, columns - 1), { tone: 'warning', indent: 0 })}
          height={Math.max(1, rows - 1)}
          width={Math.max(1, columns - 1)}
        />
      </ThemeContext.Provider>
    );
  }

  return (
    <ThemeContext.Provider value={th}>
      <Box flexDirection="column" width={width} height={height}>
        <Box height={bodyHeight} flexDirection="column">{body}</Box>
        <StatusLine state={state} width={width} />
        <Footer context={context} width={width} />
      </Box>
    </ThemeContext.Provider>
  );
}
