/**
 * Every command, declared in one place; each action lazy-loads its module so `--help` and
 * small commands start fast. createProgram() is exported for tests (exitOverride).
 */
import { Command, Option } from 'commander';
import { VERSION } from '../core/version.js';

export const DEFAULT_DB = 'faultline.db';

export function dbOption(): Option {
  return new Option('--db <file>', 'investigation database (env FAULTLINE_DB)').default(process.env['FAULTLINE_DB'] || DEFAULT_DB);
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function ingestOptions(cmd: Command): Command {
  return cmd
    .addOption(dbOption())
    .option('--format <id>', 'force a format for every file (har, combined, aws-alb, … see `faultline formats`)')
    .option('--log-format <spec>', 'describe the log lines with an nginx log_format or Apache LogFormat string')
    .option('--rules <path...>', 'extra rule files or directories (override built-ins by id)')
    .option('--gap <minutes>', 'quiet minutes that split one incident from the next', '5')
    .option('--json', 'print one JSON object with per-source counts on stdout')
    .option('--no-progress', 'no progress bar on stderr');
}

export function createProgram(): Command {
  const program = new Command();
  program
    .name('faultline')
    .description('Find out why API calls failed: ingest HAR exports and access logs, classify failures by cause, cluster them into incidents.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces for internal errors')
    .showHelpAfterError('(run with --help for usage)');

  ingestOptions(
    program
      .command('ingest')
      .description('stream files into the investigation database, classify failures and build incidents')
      .argument('<files...>', 'HAR files (.har, .har.gz), access logs (.log, .gz), or - for stdin'),
  )
    .addHelpText('after', examples([
      'faultline ingest capture.har /var/log/nginx/access.log.2.gz alb/*.log --db incident-4711.db',
      'zcat old.log.gz | faultline ingest - --format combined',
      'faultline ingest app.log --log-format \'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $request_time\'',
    ]))
    .action(async (files: string[], opts) => {
      const { runIngest } = await import('./commands/ingest.js');
      await runIngest(files, opts);
    });

  program
    .command('formats')
    .description('list the access-log formats faultline detects')
    .option('--json', 'as JSON')
    .action(async (opts) => {
      const { runFormats } = await import('./commands/formats.js');
      runFormats(opts);
    });

  program
    .command('incidents')
    .description('list incidents, most severe first')
    .addOption(dbOption())
    .option('--json', 'as a JSON array')
    .addHelpText('after', examples(['faultline incidents --db incident-4711.db', 'faultline incidents --json | jq \'.[0]\'']))
    .action(async (opts) => {
      const { runIncidents } = await import('./commands/outputs.js');
      runIncidents(opts);
    });

  program
    .command('failures')
    .description('every failed request with its cause, rule and incident')
    .addOption(dbOption())
    .option('--json', 'one JSON object per line')
    .option('--cause <cause...>', 'only these causes')
    .action(async (opts) => {
      const { runFailures } = await import('./commands/outputs.js');
      runFailures(opts);
    });

  program
    .command('warnings')
    .description('early warnings on requests that succeeded (deprecations, rate-limit headroom, tokens near expiry, credentials in URLs)')
    .addOption(dbOption())
    .option('--json', 'as a JSON array')
    .action(async (opts) => {
      const { runWarnings } = await import('./commands/outputs.js');
      runWarnings(opts);
    });

  program
    .command('show')
    .description('one incident (or request, as FILE:LINE / FILE#ENTRY) as plain text')
    .argument('<id>', 'incident id, or a request locator')
    .addOption(dbOption())
    .option('--json', 'as JSON')
    .action(async (id: string, opts) => {
      const { runShow } = await import('./commands/outputs.js');
      runShow(id, opts);
    });

  program
    .command('report')
    .description('write the markdown triage report')
    .addOption(dbOption())
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .option('--incident <id...>', 'only these incidents')
    .option('--cause <cause...>', 'only these causes')
    .option('--since <time>', 'only failures at or after this time (ISO 8601)')
    .option('--until <time>', 'only failures at or before this time (ISO 8601)')
    .addHelpText('after', examples(['faultline report --db incident-4711.db -o triage.md', 'faultline report --cause auth rate-limit']))
    .action(async (opts) => {
      const { runReport } = await import('./commands/report.js');
      await runReport(opts);
    });

  program
    .command('check')
    .description('exit 1 when a threshold is crossed (for CI pipelines)')
    .addOption(dbOption())
    .option('--fail-on <causes>', 'comma-separated causes that fail the check when present')
    .option('--max-error-rate <pct>', 'e.g. 1%')
    .option('--max-p95 <duration>', 'e.g. 500ms')
    .option('--json', 'as JSON')
    .addHelpText('after', examples(['faultline ingest e2e.har --db ci.db && faultline check --db ci.db --fail-on auth,server-error --max-error-rate 1%']))
    .action(async (opts) => {
      const { runCheck } = await import('./commands/check.js');
      runCheck(opts);
    });

  program
    .command('browse')
    .description('open the terminal UI on a database')
    .addOption(dbOption())
    .action(async (opts) => {
      const { runBrowse } = await import('./commands/browse.js');
      await runBrowse(opts);
    });

  program
    .command('sanitize')
    .description('write a copy of a HAR with every secret redacted by the ingest rules; the copy is still a valid HAR')
    .argument('<file>', 'HAR file (.har, .har.gz), or - for stdin')
    .option('-o, --output <file>', 'where to write (- for stdout; a name ending in .gz is compressed); default <name>.sanitized.har')
    .option('--json', 'print the counts as one JSON object on stdout')
    .addHelpText('after', examples([
      'faultline sanitize capture.har -o capture.sanitized.har',
      'faultline sanitize capture.har.gz -o - | less',
    ]))
    .action(async (file: string, opts) => {
      const { runSanitize } = await import('./commands/sanitize.js');
      await runSanitize(file, opts);
    });

  program
    .command('export')
    .description('write the failing requests of an incident as a small HAR, built from the (redacted) database')
    .addOption(dbOption())
    .option('--sanitized', 'required: the database holds only redacted data, and so does the export')
    .option('--incident <id...>', 'incident ids or unique prefixes (default: the most severe incident)')
    .option('--all-failures', 'every failed request instead of incidents')
    .option('-o, --output <file>', 'where to write (default: stdout; a name ending in .gz is compressed)')
    .addHelpText('after', examples([
      'faultline export --db incident-4711.db --sanitized -o top-incident.har',
      'faultline export --sanitized --incident inc-3f2a inc-9b1c -o two.har',
    ]))
    .action(async (opts) => {
      const { runExport } = await import('./commands/export.js');
      await runExport(opts);
    });

  program
    .command('diff')
    .description('what changed: incidents new, gone and changed, routes whose error rate, causes or p95 moved (two databases, two sets of files, or one split at a time)')
    .argument('[before-and-after...]', 'BEFORE AFTER: two databases or input files, instead of --baseline and --db')
    .addOption(dbOption())
    .option('--baseline <file>', 'the database to compare --db with (a HAR or log file here is ingested as a one-file baseline)')
    .option('--baseline-files <files...>', 'instead of --baseline: HAR exports and access logs to ingest as the baseline (into a temporary database)')
    .option('--files <files...>', 'instead of --db: HAR exports and access logs to ingest as the current side (into a temporary database)')
    .option('--at <time>', 'instead of a baseline: split the current side at this time (ISO 8601 with a zone, e.g. a deploy)')
    .option('--json', 'as JSON: {"new":[…],"gone":[…],"changed":[…],"routes":[…]}')
    .option('--markdown', 'as markdown')
    .option('--fail-on <what>', 'exit 1 when any is found: new, changed, routes (comma-separated)')
    .option('--format <id>', 'for sides given as files: force a format (as faultline ingest)')
    .option('--log-format <spec>', 'for sides given as files: an nginx log_format or Apache LogFormat string')
    .option('--rules <path...>', 'for sides given as files: extra rule files or directories')
    .option('--gap <minutes>', 'for sides given as files: quiet minutes that split one incident from the next', '5')
    .addHelpText('after', examples([
      'faultline diff --baseline-files e2e-main.har --files e2e-pr.har --fail-on new',
      'faultline diff --baseline-files logs/mon/*.log --files logs/tue/*.log --markdown > diff.md',
      'faultline diff before.har after.har',
      'faultline ingest e2e-main.har --db main.db && faultline ingest e2e-pr.har --db pr.db',
      'faultline diff --baseline main.db --db pr.db --fail-on new',
      'faultline diff --db week.db --at 2026-03-14T10:05:00Z --markdown > deploy-diff.md',
      'faultline diff --files today.log --at 2026-03-14T10:05:00Z',
    ]))
    .action(async (sides: string[], opts, cmd: Command) => {
      const { runDiff } = await import('./commands/diff.js');
      await runDiff({ ...opts, sides, dbExplicit: cmd.getOptionValueSource('db') === 'cli' });
    });

  program
    .command('watch')
    .description('follow growing logs (rotation and truncation handled), keep incidents current and show them live')
    .argument('<files...>', 'access logs to follow (a .gz rotation is read once)')
    .addOption(dbOption())
    .option('--format <id>', 'force a format')
    .option('--log-format <spec>', 'nginx log_format or Apache LogFormat string')
    .option('--rules <path...>', 'extra rule files or directories')
    .option('--gap <minutes>', 'quiet minutes that end an incident', '5')
    .option('--interval <seconds>', 'poll interval', '1')
    .option('--once', 'read what is new once, update incidents, and exit')
    .option('--no-tui', 'print a plain-text status after each analysis instead of the live terminal UI')
    .addHelpText('after', examples([
      'faultline watch /var/log/nginx/access.log --db live.db',
      'faultline watch access.log --once   # e.g. from cron: picks up where the last run stopped',
    ]))
    .action(async (files: string[], opts) => {
      const { runWatch } = await import('./commands/watch.js');
      await runWatch(files, opts);
    });

  const rules = program.command('rules').description('list or check classification rules');
  rules
    .command('list')
    .description('list the rules in evaluation order')
    .option('--rules <path...>', 'extra rule files or directories')
    .option('--json', 'as JSON')
    .action(async (opts) => {
      const { runRulesList } = await import('./commands/rules.js');
      const out = runRulesList(opts);
      process.stdout.write(typeof out === 'string' ? out : JSON.stringify(out));
    });
  rules
    .command('check')
    .description('validate a rule file or directory; errors carry line numbers')
    .argument('<path>', 'rule file or directory')
    .action(async (file: string) => {
      const { runRulesCheck } = await import('./commands/rules.js');
      const res = runRulesCheck(file) as unknown;
      const r = res as { output?: string; exitCode?: number } | string;
      if (typeof r === 'string') process.stdout.write(r);
      else {
        process.stdout.write(r.output ?? '');
        if (r.exitCode) process.exitCode = r.exitCode;
      }
    });

  program
    .command('explain')
    .description('why a request got its cause: the rule that matched, the conditions that held, near misses')
    .argument('<request>', 'request id, FILE:LINE or FILE#ENTRY')
    .addOption(dbOption())
    .option('--rules <path...>', 'extra rule files or directories')
    .action(async (spec: string, opts) => {
      const { runExplainCommand } = await import('./commands/explain-cli.js');
      runExplainCommand(spec, opts);
    });

  // `faultline <files…>`: ingest into the default database, then browse.
  ingestOptions(program.command('open', { isDefault: true, hidden: true }).argument('[files...]'))
    .option('--no-tui', 'print the summary instead of opening the terminal UI')
    .option('--follow', 'keep following the log files as they grow (as `faultline watch`); HAR files are ingested once')
    .action(async (files: string[], opts) => {
      if (!files.length) {
        program.help();
        return;
      }
      const { runOpen } = await import('./commands/open.js');
      await runOpen(files, opts);
    });

  return program;
}
