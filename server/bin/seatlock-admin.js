#!/usr/bin/env node
// Committed (unlike dist/) so that `npm ci` can link the binary before the first build.
require('../dist/bin/admin.js');
