// Compiles the contracts with the pinned solc-js (package.json) through the standard-JSON API and
// writes combined-JSON files in the shape `solc --combined-json` produces, which abigen reads.
// Output is byte-identical across runs; the source paths given to solc are part of the metadata
// hash embedded in the bytecode, so they must not change.
//
// Usage: node build.js [outdir]   (default: build)
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

// Pinned compiler settings. Changing any of them changes the deployed bytecode.
const settings = {
  evmVersion: 'cancun', // transient storage (EIP-1153); supported by mainnet, Sepolia and the L2s we target
  optimizer: { enabled: true, runs: 10000 }, // calls happen far more often than deployments
  metadata: { bytecodeHash: 'ipfs', useLiteralContent: true },
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'metadata', 'devdoc', 'userdoc'] },
  },
};

// Output file -> contracts it holds ("source:Name").
const outputs = {
  'DataShare.json': ['DataShare.sol:DataShare'],
  'testcontracts.json': ['test/ReentrancyAttacker.sol:ReentrancyAttacker'],
};

const sources = ['DataShare.sol', 'test/ReentrancyAttacker.sol'];

function main() {
  const outDir = path.resolve(__dirname, process.argv[2] || 'build');
  const input = { language: 'Solidity', sources: {}, settings };
  for (const src of sources) {
    input.sources[src] = { content: fs.readFileSync(path.join(__dirname, src), 'utf8') };
  }
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  let failed = false;
  for (const e of out.errors || []) {
    process.stderr.write(e.formattedMessage || e.message);
    if (e.severity === 'error') failed = true;
  }
  if (failed) process.exit(1);

  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, names] of Object.entries(outputs)) {
    const combined = { contracts: {}, version: solc.version() };
    for (const name of names) {
      const [src, contract] = name.split(':');
      const c = out.contracts[src][contract];
      combined.contracts[name] = {
        abi: c.abi,
        bin: c.evm.bytecode.object,
        'bin-runtime': c.evm.deployedBytecode.object,
        metadata: c.metadata,
        devdoc: c.devdoc,
        userdoc: c.userdoc,
      };
      process.stdout.write(`${name}: runtime ${c.evm.deployedBytecode.object.length / 2} bytes\n`);
    }
    fs.writeFileSync(path.join(outDir, file), JSON.stringify(combined, null, 1) + '\n');
  }
}

function findImport(p) {
  const full = path.join(__dirname, p);
  if (!full.startsWith(__dirname + path.sep)) return { error: `import outside contracts/: ${p}` };
  try {
    return { contents: fs.readFileSync(full, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${p}: ${e.message}` };
  }
}

main();
