const https = require('node:https');
const http2 = require('node:http2');
const { Anthropic } = require('@anthropic-ai/sdk');
const { GoogleGenAI } = require('@google/genai');
const { configure, isCassetteError, withCassette } = require('cassettes');
const { OpenAI } = require('openai');
const undici = require('undici');
const cells = require('../cells.cjs');

const modules = { withCassette, configure, isCassetteError, OpenAI, Anthropic, GoogleGenAI, undici, https, http2 };
cells.defineMatrix({ describe, test, expect, beforeAll }, modules, 'jest-cjs');
cells.defineCanary({ describe, test, expect, beforeAll }, modules, 'jest-cjs');
