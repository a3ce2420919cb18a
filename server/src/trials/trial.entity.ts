import { Entity } from 'typeorm';
import { ReviewedApplication } from '../common/application.entity';

@Entity('trials')
export class Trial extends ReviewedApplication {}
