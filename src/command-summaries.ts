/** One line per command: `deskphone --help` lists them and `deskphone COMMAND --help` repeats its own. */
export const SUMMARIES: Record<string, string> = {
  sim: 'run emulated phones and the embedded call manager, LCDs and lamps live in the terminal',
  scenario: 'run YAML scenarios (physical steps and expectations) against emulated phones',
  callmanager: 'run the software call manager (SCCP on TCP 2000 by default)',
  board: 'validate board configs (deskphone board check FILE...)',
  tsp: 'third-party call control client: click-to-dial against the call manager\'s TSP port',
  doctor: 'probe the peripherals a board config names and print the fix for each failure',
  phone: 'run one phone: a board config and a call manager (emulated board: --emulated)',
  status: 'ask the running phone: registration, calls, audio devices, last errors (--json)',
  install: 'install the phone as a systemd service on a Raspberry Pi (root; --root DIR: files only)',
  uninstall: 'remove what `deskphone install` put in place (keeps /etc/deskphone and /var/lib/deskphone unless --purge)',
};

/** The summary line of `command`. */
export function summaryOf(command: string): string {
  return SUMMARIES[command.split(' ')[0]!] ?? '';
}
