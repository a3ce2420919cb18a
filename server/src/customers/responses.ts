import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { CustomerResponse } from './customers.service';

export class CustomerDto implements CustomerResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const CustomerPage = PageOf(CustomerDto);
