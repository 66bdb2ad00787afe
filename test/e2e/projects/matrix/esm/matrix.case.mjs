import http2 from 'node:http2';
import https from 'node:https';
import { Anthropic } from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { configure, isCassetteError, withCassette } from 'cassettes';
import OpenAI from 'openai';
import * as undici from 'undici';
import cells from '../cells.cjs';

const modules = { withCassette, configure, isCassetteError, OpenAI, Anthropic, GoogleGenAI, undici, https, http2 };
cells.defineMatrix({ describe, test, expect, beforeAll }, modules, 'jest-esm');
cells.defineCanary({ describe, test, expect, beforeAll }, modules, 'jest-esm');
