// The switches of every headless Chromium that tests and benchmarks launch (Debian's Chromium
// through playwright-core), and why each is there. Loopback only: nothing here reaches out.
//
// --disable-features replaces Playwright's own list (Chromium keeps the last copy of a switch),
// so that list is repeated first (playwright-core 1.64), then the features added here:
//   WebUIOmniboxPopup, WebUIOmniboxAimPopup, WebUIOmniboxFullPopup: Chromium 156 loads its
//   omnibox popup as a WebUI page in a renderer of its own for every new window, and every new
//   browser context is a new window in headless mode. That renderer ran about 1 s of main
//   thread and 0.5 s of workers during each page's start-up on this 2-core machine, work a
//   visitor's browser does once per window, not per page (trace of 2026-12-04).
const PLAYWRIGHT_DISABLED_FEATURES = ['AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose',
  'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch'];
const BROWSER_UI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
  // WebGL2 in software (no GPU here): SwiftShader through ANGLE.
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-features=' + [...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(',')];
