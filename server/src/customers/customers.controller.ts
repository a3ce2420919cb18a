import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { CustomersService } from './customers.service';

export class CreateCustomerDto {
  @ApiProperty({ example: 'Acme Devices Ltd' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles('issuer')
  create(@Body() body: CreateCustomerDto, @Actor() actor: string) {
    return this.customers.createCustomer(body.name, actor);
  }

  /** A customer principal sees its own customer only. */
  @Get()
  @Roles('issuer', 'auditor', 'customer')
  list(@Query() query: PageQuery, @CustomerScope() scope?: string) {
    return this.customers.listCustomers(query, scope);
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.customers.getCustomer(id, scope);
  }
}
