/** `cdk synth` / `cdk deploy` entry (cdk.json runs it with tsx). */
import { createApp } from './app.ts';
import { DeployConfigError } from './config.ts';

try {
  createApp().app.synth();
} catch (error) {
  if (!(error instanceof DeployConfigError)) throw error;
  process.stderr.write(`${error.problems.map((problem) => `- ${problem}`).join('\n')}\n`);
  process.exit(2);
}
