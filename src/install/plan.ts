/**
 * What `deskphone install` and `deskphone uninstall` do, as a list of steps (src/install/steps.ts)
 * decided from the target system's files (its /etc/passwd, /etc/group, raspi-config, the existing
 * config), so the same plan is applied to the system or printed and written into a tree (--root).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBoardConfig } from '../../hal/board/load.js';
import { BOARD_CONFIG, LAYOUT, PHONE_CONFIG } from './layout.js';
import { inRoot, type Step } from './steps.js';
import { serviceUnit } from './unit.js';
import { udevRule } from './udev.js';

export interface InstallInput {
  /** The package to install from (a built checkout: dist/, package.json, node_modules). */
  source: string;
  root: string | undefined;
  /** The node binary ExecStart runs. */
  node: string;
  /** Board config copied to /etc/deskphone/board.yaml when there is none. */
  boardExample: string;
  /** Phone config copied to /etc/deskphone/phone.yaml when there is none. */
  phoneExample: string;
}

/** The compiled trees of dist/ the program needs (not the tests, not the scripts); bundle/ when the build made one. */
const DIST_DIRS = ['src', 'hal', 'firmware', 'callmanager', 'lib', 'bundle'];

/**
 * What the command and the unit run: the esbuild bundle when the source has one (a few files to
 * read at start instead of ~360 modules, scripts/build.mjs), else the compiled tree's entry.
 */
export function entryOf(source: string): string {
  return existsSync(join(source, 'dist', 'bundle', 'deskphone.js')) ? 'dist/bundle/deskphone.js' : 'dist/src/bin.js';
}
/** Files and trees beside dist/ copied as they are. */
const PACKAGE_FILES = ['package.json', 'package-lock.json', 'LICENSE', 'README.md', 'docs', 'board-configs', 'config', 'callmanager/examples'];

/** Names in a group/passwd file (`name:...` lines). */
function names(file: string): Set<string> | undefined {
  if (!existsSync(file)) return undefined;
  return new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')[0]!).filter(Boolean));
}

/**
 * The packages of package-lock.json that production needs (not "dev": true), present in
 * node_modules (an optional native binding that did not build is absent): top-level ones only,
 * each copied with what it nests.
 */
export function productionModules(source: string): string[] {
  const lock = JSON.parse(readFileSync(join(source, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { dev?: boolean; link?: boolean }> };
  return Object.entries(lock.packages ?? {})
    .filter(([key, p]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) && !p.dev && !p.link && existsSync(join(source, key)))
    .map(([key]) => key).sort();
}

export function installSteps(i: InstallInput): Step[] {
  const at = (p: string): string => inRoot(i.root, p);
  const steps: Step[] = [];
  const say = (text: string, warn = false): void => { steps.push({ kind: 'say', text, ...(warn ? { warn } : {}) }); };

  // 1. The program: the old copy goes first, so an upgrade leaves no stale file behind.
  if (resolve(at(LAYOUT.prefix)) === resolve(i.source)) {
    say(`${LAYOUT.prefix} is the source itself: program files left as they are`);
  } else {
    for (const d of ['dist', 'node_modules']) steps.push({ kind: 'remove', path: `${LAYOUT.prefix}/${d}` });
    steps.push({ kind: 'mkdir', path: LAYOUT.prefix, mode: 0o755 });
    for (const d of DIST_DIRS) if (d !== 'bundle' || existsSync(join(i.source, 'dist', d))) steps.push({ kind: 'copy', from: join(i.source, 'dist', d), to: `${LAYOUT.prefix}/dist/${d}` });
    for (const f of PACKAGE_FILES) if (existsSync(join(i.source, f))) steps.push({ kind: 'copy', from: join(i.source, f), to: `${LAYOUT.prefix}/${f}` });
    const modules = productionModules(i.source);
    for (const m of modules) steps.push({ kind: 'copy', from: join(i.source, m), to: `${LAYOUT.prefix}/${m}` });
    say(`copied    ${LAYOUT.prefix}: dist/ (${DIST_DIRS.join(', ')}), package.json and ${modules.length} production packages`);
  }
  steps.push({ kind: 'write', path: LAYOUT.command, mode: 0o755, text: `#!/bin/sh\n# Installed by \`deskphone install\`.\nexec ${i.node} ${LAYOUT.prefix}/${entryOf(i.source)} "$@"\n` });

  // 2. The user and its groups (groups the system does not have are skipped, with a warning).
  const users = names(at('/etc/passwd'));
  if (users?.has(LAYOUT.user)) say(`user ${LAYOUT.user} exists`);
  else {
    steps.push({ kind: 'run', argv: ['useradd', '--system', '--user-group', '--home-dir', LAYOUT.state, '--no-create-home',
      '--shell', '/usr/sbin/nologin', '--comment', 'deskphone desk phone', LAYOUT.user] });
  }
  const groups = names(at('/etc/group'));
  const present = groups ? LAYOUT.groups.filter((g) => groups.has(g)) : [...LAYOUT.groups];
  if (!groups) say(`cannot check which groups exist (no ${at('/etc/group')}): adding ${LAYOUT.user} to all of ${LAYOUT.groups.join(', ')}`, true);
  for (const g of LAYOUT.groups.filter((x) => !present.includes(x))) {
    say(`group ${g} does not exist on this system: ${LAYOUT.user} is not added to it (${g === 'gpio' || g === 'i2c' ? 'Raspberry Pi OS has it; on another OS give the user access to its device files' : 'the devices it guards stay closed to the phone'})`, true);
  }
  if (present.length) steps.push({ kind: 'run', argv: ['usermod', '--append', '--groups', present.join(','), LAYOUT.user] });

  // 3. Config (never overwritten) and state.
  steps.push({ kind: 'mkdir', path: LAYOUT.etc, mode: 0o755 });
  steps.push({ kind: 'write', path: PHONE_CONFIG, text: readFileSync(i.phoneExample, 'utf8'), mode: 0o644, keep: true });
  steps.push({ kind: 'write', path: BOARD_CONFIG, text: readFileSync(i.boardExample, 'utf8'), mode: 0o644, keep: true });
  steps.push({ kind: 'mkdir', path: LAYOUT.state, mode: 0o750 });
  steps.push({ kind: 'run', argv: ['chown', `${LAYOUT.user}:${LAYOUT.user}`, LAYOUT.state] });

  // 4. The handset's hidraw rule, from the board config that will be used.
  const boardFile = existsSync(at(BOARD_CONFIG)) ? at(BOARD_CONFIG) : i.boardExample;
  const rule = udevRule(loadBoardConfig(boardFile), existsSync(at(BOARD_CONFIG)) ? BOARD_CONFIG : i.boardExample);
  for (const w of rule.warnings) say(w, true);
  if (rule.text) {
    steps.push({ kind: 'write', path: LAYOUT.udevRule, text: rule.text, mode: 0o644 });
    steps.push({ kind: 'run', argv: ['udevadm', 'control', '--reload-rules'], mayFail: true });
    steps.push({ kind: 'run', argv: ['udevadm', 'trigger', '--subsystem-match=hidraw'], mayFail: true });
  } else {
    steps.push({ kind: 'remove', path: LAYOUT.udevRule });
    say(`no udev rule: the board config (${boardFile}) has no USB HID devices`);
  }

  // 5. I2C (Raspberry Pi OS: raspi-config; elsewhere the user does it).
  if (existsSync(at('/usr/bin/raspi-config'))) steps.push({ kind: 'run', argv: ['raspi-config', 'nonint', 'do_i2c', '0'], mayFail: true });
  else {
    say('raspi-config not found, so I2C was not enabled here: add "dtparam=i2c_arm=on" to /boot/firmware/config.txt ' +
      'and "i2c-dev" to /etc/modules, then reboot (docs/hardware.md)', true);
  }

  // 6. The unit. Enabling is left to the user, after the config is edited.
  steps.push({ kind: 'write', path: LAYOUT.unit, text: serviceUnit({ node: i.node, entry: entryOf(i.source) }), mode: 0o644 });
  steps.push({ kind: 'run', argv: ['systemctl', 'daemon-reload'], mayFail: i.root === undefined && !existsSync('/run/systemd/system') });
  say(`next: edit ${PHONE_CONFIG} (callManagers, device) and check ${BOARD_CONFIG} with \`deskphone board check ${BOARD_CONFIG}\`, then\n` +
    '  sudo systemctl enable --now deskphone\n  deskphone status');
  return steps;
}

export interface UninstallInput { root: string | undefined; purge: boolean }

export function uninstallSteps(u: UninstallInput): Step[] {
  const steps: Step[] = [
    { kind: 'run', argv: ['systemctl', 'disable', '--now', 'deskphone.service'], mayFail: true },
    { kind: 'remove', path: LAYOUT.unit },
    { kind: 'run', argv: ['systemctl', 'daemon-reload'], mayFail: true },
    { kind: 'remove', path: LAYOUT.udevRule },
    { kind: 'run', argv: ['udevadm', 'control', '--reload-rules'], mayFail: true },
    { kind: 'remove', path: LAYOUT.command },
    { kind: 'remove', path: LAYOUT.prefix },
  ];
  if (u.purge) {
    steps.push({ kind: 'remove', path: LAYOUT.etc }, { kind: 'remove', path: LAYOUT.state });
    if (names(inRoot(u.root, '/etc/passwd'))?.has(LAYOUT.user) ?? u.root !== undefined) {
      steps.push({ kind: 'run', argv: ['userdel', LAYOUT.user], mayFail: true });
    }
  } else {
    steps.push({ kind: 'say', text: `kept ${LAYOUT.etc} (config), ${LAYOUT.state} (state) and the user ${LAYOUT.user}; \`deskphone uninstall --purge\` removes them too` });
  }
  steps.push({ kind: 'say', text: 'I2C stays enabled (other programs may use it): `sudo raspi-config nonint do_i2c 1` turns it off' });
  return steps;
}
