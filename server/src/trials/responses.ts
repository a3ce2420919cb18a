import { PageOf } from '../common/api-docs';
import { ApplicationDto } from '../common/responses';

export class TrialDto extends ApplicationDto {}

export const TrialPage = PageOf(TrialDto);
