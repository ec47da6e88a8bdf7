/** The zod schema of a local date as every API body, worker variable and setting writes it. */
import { z } from 'zod';

import { isIsoDate } from './index.js';

export const IsoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
