import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { CustomersService } from './customers.service';
import { ApiErrors } from '../common/api-docs';
import { CustomerDto, CustomerPage } from './responses';

export class CreateCustomerDto {
  @ApiProperty({ example: 'Acme Devices Ltd' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class CustomersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Customers whose name contains this text, any case (a typeahead)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  search?: string;
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles('issuer')
  @ApiCreatedResponse({ type: CustomerDto })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  create(@Body() body: CreateCustomerDto, @Actor() actor: string) {
    return this.customers.createCustomer(body.name, actor);
  }

  /** A customer principal sees its own customer only. */
  @Get()
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: CustomerPage })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: CustomersQuery, @CustomerScope() scope?: string) {
    return this.customers.listCustomers(query, scope);
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: CustomerDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.customers.getCustomer(id, scope);
  }
}
