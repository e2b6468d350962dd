const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');

// One CommonJS bundle of this app and the @cairn libraries; node_modules stay external
// and load at run time (the ESM-only @nestjs packages through Node's require(esm)).
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/reconciler') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      // ts-loader: TypeScript's own decorator metadata, which Nest's injection reads.
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      optimization: false,
      generatePackageJson: false,
    }),
  ],
};
