import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { deployableFiles } from '../../../src/engine/deploy.js';
import { DistributionError, ensureDistribution, mavenArtifact } from '../../../src/engine/distribution.js';
import { engineConfig, engineConfigYaml, jdkOptions } from '../../../src/engine/engine-config.js';

const log = winston.createLogger({ silent: true });

describe('engine configuration', () => {
  const cfg = engineConfig({ dataDir: '/tmp/x', clockControlled: true, user: 'demo', password: 'demo' }) as any;

  it('binds every port to loopback', () => {
    expect(cfg.server.address).toBe('127.0.0.1');
    expect(cfg.management.server.address).toBe('127.0.0.1');
    expect(cfg.zeebe.broker.gateway.network.host).toBe('127.0.0.1');
  });

  it('uses an H2 file under the data folder as secondary storage', () => {
    expect(cfg.camunda.data['secondary-storage'].type).toBe('rdbms');
    expect(cfg.camunda.data['secondary-storage'].rdbms.url).toBe('jdbc:h2:file:/tmp/x/h2/camunda');
    expect(cfg.camunda.data['primary-storage'].directory).toBe('/tmp/x/zeebe');
  });

  it('controls the clock only when asked', () => {
    expect(cfg.zeebe.clock.controlled).toBe(true);
    const off = engineConfig({ dataDir: '/tmp/x', clockControlled: false, user: 'demo', password: 'demo' }) as any;
    expect(off.zeebe.clock.controlled).toBe(false);
  });

  it('is written as JSON, which Spring reads as YAML', () => {
    const text = engineConfigYaml({ dataDir: '/tmp/x', clockControlled: false, user: 'demo', password: 'demo' });
    expect(JSON.parse(text.split('\n').slice(1).join('\n'))).toEqual(engineConfig({ dataDir: '/tmp/x', clockControlled: false, user: 'demo', password: 'demo' }));
  });

  it('adds the Java 25 access flags only where needed', () => {
    expect(jdkOptions(25)).toContain('--enable-native-access=ALL-UNNAMED');
    expect(jdkOptions(21)).toBe('');
  });
});

describe('distribution fetch', () => {
  it('names the Maven artifact and the command when Maven cannot fetch it', async () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-mvn-'));
    writeFileSync(path.join(bin, 'mvn'), '#!/bin/sh\necho "[ERROR] Could not find artifact io.camunda:camunda-zeebe:tar.gz:9.9.9 in central"\nexit 1\n');
    chmodSync(path.join(bin, 'mvn'), 0o755);
    const engineDir = mkdtempSync(path.join(tmpdir(), 'engine-'));
    const mvn = path.join(bin, 'mvn');
    await expect(ensureDistribution(engineDir, '9.9.9', log, mvn)).rejects.toThrow(DistributionError);
    await expect(ensureDistribution(engineDir, '9.9.9', log, mvn)).rejects.toThrow(
      /Could not find artifact[\s\S]*mvn -B -U dependency:copy -Dartifact=io.camunda:camunda-zeebe:9.9.9:tar.gz/,
    );
    expect(mavenArtifact('8.9.26')).toBe('io.camunda:camunda-zeebe:8.9.26:tar.gz');
  });

  it('reuses an unpacked distribution without calling Maven', async () => {
    const engineDir = mkdtempSync(path.join(tmpdir(), 'engine-'));
    mkdirSync(path.join(engineDir, 'camunda-zeebe-8.9.26', 'bin'), { recursive: true });
    writeFileSync(path.join(engineDir, 'camunda-zeebe-8.9.26', 'bin', 'camunda'), '');
    await expect(ensureDistribution(engineDir, '8.9.26', log, '/nonexistent/mvn')).resolves.toBe(path.join(engineDir, 'camunda-zeebe-8.9.26'));
  });
});

describe('deployable files', () => {
  it('deploys decisions and forms before diagrams and skips element templates', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'processes-'));
    for (const f of ['a/x.bpmn', 'shared/d.dmn', 'forms/f.form', 'element-templates/t.json', 'element-templates/t.bpmn', 'a/jobcenter.json']) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), '');
    }
    expect(deployableFiles(root).map((f) => path.relative(root, f))).toEqual(['shared/d.dmn', 'forms/f.form', 'a/x.bpmn']);
  });
});
