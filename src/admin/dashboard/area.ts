// The dashboard: the state at a glance. (Minimal for now: the windows work fills it in.)

import express from 'express';
import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';

export function createDashboardArea(_deps: AdminDeps): AdminArea {
  const pages = express.Router();
  pages.get('/', function dashboard(_req, res) {
    res.render('admin/dashboard', { title: 'Dashboard', nav: '/' });
  });
  return { pages };
}
