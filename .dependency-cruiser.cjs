/**
 * Import rules of deskphone's layers (docs/architecture.md "Layers"). `npm run lint:imports`
 * checks them; `npm test` runs it first (pretest), so CI fails on a violation.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'hal-api-is-leaf',
      comment: 'hal/api holds interfaces only: it imports nothing else of the project.',
      severity: 'error',
      from: { path: '^hal/api/' },
      to: { path: '^(hal|firmware|callmanager|src|lib|scripts|test)/', pathNot: '^hal/api/' },
    },
    {
      name: 'drivers-and-emulators-import-only-hal-api',
      comment: 'hal/drivers and hal/emul import only hal/api (and their own folder).',
      severity: 'error',
      from: { path: '^hal/(drivers|emul)/' },
      to: {
        path: '^(hal|firmware|callmanager|src|lib|scripts|test)/',
        pathNot: ['^hal/api/', '^hal/$1/'],
      },
    },
    {
      name: 'hal-imports-no-upper-layer',
      comment: 'hal/ imports no firmware, callmanager or src.',
      severity: 'error',
      from: { path: '^hal/' },
      to: { path: '^(firmware|callmanager|src|scripts|test)/' },
    },
    {
      name: 'firmware-reaches-hal-only-through-api',
      comment: 'firmware/ talks to hardware only through hal/api interfaces handed in by a composition root.',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { path: '^hal/', pathNot: '^hal/api/' },
    },
    {
      name: 'firmware-imports-no-callmanager-or-src',
      severity: 'error',
      from: { path: '^firmware/' },
      to: { path: '^(callmanager|src|scripts|test)/' },
    },
    {
      name: 'sccp-and-sscp-side-by-side',
      comment: 'firmware/sccp and firmware/sscp sit beside each other on firmware/station; neither imports the other.',
      severity: 'error',
      from: { path: '^firmware/(sccp|sscp)/' },
      to: { path: '^firmware/(sccp|sscp)/', pathNot: '^firmware/$1/' },
    },
    {
      name: 'callmanager-imports-no-src-or-phone-app',
      comment: 'callmanager/ is a library: it imports no src/ (composition roots live there) and not the phone application.',
      severity: 'error',
      from: { path: '^callmanager/' },
      to: { path: '^(src|scripts|test)/|^firmware/phone/' },
    },
    {
      name: 'lib-is-bottom',
      comment: 'lib/ is the bottom layer (generic helpers): it imports nothing else of the project.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(hal|firmware|callmanager|src|scripts|test)/' },
    },
    {
      name: 'native-packages-only-in-bindings',
      comment: 'hal/bindings is the only importer of the native packages (the optional hardware ones, better-sqlite3).',
      severity: 'error',
      from: { pathNot: '^hal/bindings/' },
      to: { path: 'node_modules/(i2c-bus|node-hid|node-libgpiod|onoff|alsa-capture|better-sqlite3)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
