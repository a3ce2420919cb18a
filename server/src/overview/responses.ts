import { ApiProperty, PickType } from '@nestjs/swagger';
import { PoolDto } from '../pools/responses';
import type { PoolKind } from '../pools/pool.entity';

/** What the overview shows of every pool it lists: a pool's own fields, under the name `poolId`. */
export class OverviewPoolDto extends PickType(PoolDto, ['customerId', 'customerName', 'product', 'modality', 'seats', 'seatsUsed'] as const) {
  @ApiProperty() poolId!: string;
}

export class PoolSeatsDto extends OverviewPoolDto {
  @ApiProperty({ enum: ['perpetual', 'trial'] }) kind!: PoolKind;
  @ApiProperty() seatsLeft!: number;
  @ApiProperty({ description: 'Seats used of the total, in whole percent rounded down (79.9 % is 79)' }) percentUsed!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Trials only' }) expiresAt!: string | null;
}

export class SeatsOverviewDto {
  @ApiProperty({ type: [PoolSeatsDto], description: 'The fullest first, at most `limit`' }) items!: PoolSeatsDto[];
  @ApiProperty({ description: 'Pools at or above minPercent' }) matching!: number;
  @ApiProperty({ description: 'Of those, pools with every seat used' }) full!: number;
}

export class TrialEndingDto extends OverviewPoolDto {
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: 'Days until it ends, counted up: 1 on its last day' }) daysLeft!: number;
}

export class TrialsOverviewDto {
  @ApiProperty({ type: [TrialEndingDto], description: 'The soonest ending first, at most `limit`' }) items!: TrialEndingDto[];
  @ApiProperty({ description: 'Running trials ending within withinDays (all running trials without it)' }) matching!: number;
}

export class ActivationDayDto {
  @ApiProperty({ example: '2026-12-03', description: 'A UTC day' }) day!: string;
  @ApiProperty({ description: 'Devices first activated that day (re-activations are not counted; revoked devices are)' }) activations!: number;
}

export class ActivationsOverviewDto {
  @ApiProperty({ enum: ['UTC'], description: 'Days are UTC days' }) timeZone!: 'UTC';
  @ApiProperty({ type: [ActivationDayDto], description: 'Every day from the oldest to today, days without activations as 0' }) days!: ActivationDayDto[];
  @ApiProperty({ description: 'The sum over these days' }) total!: number;
}

export class ReviewCountsDto {
  @ApiProperty({ description: 'Submitted, waiting for a decision' }) submitted!: number;
  @ApiProperty({ description: 'Of those, past their review due date' }) overdue!: number;
}

export class ReviewOverviewDto {
  @ApiProperty() orders!: ReviewCountsDto;
  @ApiProperty() trials!: ReviewCountsDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The earliest review due date of what waits' }) nextDueAt!: string | null;
}
